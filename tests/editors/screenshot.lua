-- Neovim (0.7 and later) set up for the README's screenshot: premise lsp
-- attached, its inlay hints drawn as virtual text at the end of each line
-- (Neovim 0.10 draws them itself: vim.lsp.inlay_hint.enable), diagnostics
-- underlined, and the hover of the cell under the cursor opened.
-- Used by tests/editors/screenshot.sh; PREMISE_BIN is the program.
vim.o.termguicolors = true
vim.o.number = true
vim.o.laststatus = 0
vim.o.cmdheight = 1
vim.cmd("syntax on")
vim.cmd("highlight PremiseHint guifg=#7aa2f7 gui=italic")
vim.cmd("highlight DiagnosticUnderlineError gui=undercurl guisp=#f7768e")
vim.cmd("highlight NormalFloat guibg=#2a2e3f guifg=#d0d4e4")
-- After the file is open (an init file runs before it is).
vim.api.nvim_create_autocmd("VimEnter", { callback = function()
  local ns = vim.api.nvim_create_namespace("premise_hints")
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({ name = "premise", cmd = { os.getenv("PREMISE_BIN"), "lsp" } })
  vim.lsp.buf_attach_client(buf, id)
  local client = vim.lsp.get_client_by_id(id)
  vim.diagnostic.config({ virtual_text = { prefix = "●" }, underline = true })
  vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
  local r = client.request_sync("textDocument/inlayHint", {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = 0, character = 0 }, ["end"] = { line = 1000, character = 0 } },
  }, 10000, buf)
  for _, h in ipairs((r and r.result) or {}) do
    vim.api.nvim_buf_set_extmark(buf, ns, h.position.line, h.position.character,
      { virt_text = { { "  " .. h.label, "PremiseHint" } }, virt_text_pos = "eol" })
  end
  -- The cursor on `gap` (line 16), and its hover, drawn to the right of
  -- the values so that it hides none of them.
  vim.api.nvim_win_set_cursor(0, { 16, 1 })
  local hr = client.request_sync("textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = 15, character = 1 },
  }, 10000, buf)
  if hr and hr.result then
    local md = vim.lsp.util.convert_input_to_markdown_lines(hr.result.contents)
    md = vim.lsp.util.trim_empty_lines(md)
    vim.defer_fn(function()
      vim.lsp.util.open_floating_preview(md, "markdown",
        { border = "rounded", offset_x = 58, focusable = false, close_events = { "BufLeave" } })
    end, 200)
  end
end })
