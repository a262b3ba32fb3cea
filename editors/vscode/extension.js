// Starts `premise lsp` for .model files; everything else is the server's.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("premise").get("path") || "premise";
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "premise",
    "premise",
    { run: server, debug: server },
    { documentSelector: [{ language: "premise" }] }
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
