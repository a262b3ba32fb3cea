-- A real client: headless Neovim opens a model with `premise lsp` attached,
-- waits for its diagnostics, reads a hover and the inlay hints, edits a line
-- and reads the hints again. Works from Neovim 0.7 (Debian 12's) on.
-- Run by tests/it/editors.rs as
--   PREMISE_BIN=... PREMISE_MODEL=... PREMISE_OUT=... nvim --headless --clean -c 'luafile THIS'
-- Everything it finds is written to PREMISE_OUT, one fact a line; the Rust
-- test checks them.

local bin = os.getenv("PREMISE_BIN")
local model = os.getenv("PREMISE_MODEL")
local out_path = os.getenv("PREMISE_OUT")
local lines = {}
local function say(s) table.insert(lines, (s:gsub("\n", "\\n"))) end
local function finish()
  local f = io.open(out_path, "w")
  f:write(table.concat(lines, "\n") .. "\n")
  f:close()
  vim.cmd("qall!")
end

local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(model))
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({
    name = "premise",
    cmd = { bin, "lsp" },
    root_dir = vim.fn.fnamemodify(model, ":h"),
  })
  vim.lsp.buf_attach_client(buf, id)
  local client = vim.lsp.get_client_by_id(id)

  if not vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 20) then
    say("timeout: no diagnostics")
    return
  end
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    say(string.format("diagnostic %d:%d %d %s", d.lnum, d.col, d.severity, d.message))
  end

  local uri = vim.uri_from_bufnr(buf)
  local function request(method, params)
    local r = client.request_sync(method, params, 20000, buf)
    if not r or r.err then
      say("error " .. method .. " " .. vim.inspect(r and r.err))
      return nil
    end
    return r.result
  end
  local function hints()
    local result = request("textDocument/inlayHint", {
      textDocument = { uri = uri },
      range = { start = { line = 0, character = 0 }, ["end"] = { line = 1000, character = 0 } },
    }) or {}
    local found = {}
    for _, h in ipairs(result) do
      local label = type(h.label) == "string" and h.label or h.label[1].value
      table.insert(found, string.format("%d:%d %s", h.position.line, h.position.character, label))
    end
    return found
  end

  local hover = request("textDocument/hover", {
    textDocument = { uri = uri },
    position = { line = 3, character = 2 },
  })
  say("hover " .. (hover and hover.contents.value or "none"))
  for _, h in ipairs(hints()) do say("hint " .. h) end

  -- The analyst changes the margin: the hints follow.
  vim.api.nvim_buf_set_lines(buf, 2, 3, false, { "margin = 50%" })
  local moved = vim.wait(30000, function()
    for _, h in ipairs(hints()) do
      if h:find("$25B", 1, true) then return true end
    end
    return false
  end, 100)
  for _, h in ipairs(hints()) do say("after " .. h) end
  say("edit followed " .. tostring(moved))
end)
if not ok then say("lua error " .. tostring(err)) end
finish()
