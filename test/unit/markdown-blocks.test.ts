import { describe, expect, it } from "vitest";
import { splitBlocks } from "../../web/src/ui/markdown-blocks";

describe("the chat's Markdown blocks", () => {
  it("groups bullet lines into one list and keeps the text around it", () => {
    expect(splitBlocks("Steps:\n- read the task\n* write a test\n+ run it\nDone.")).toEqual([
      { kind: "text", lines: ["Steps:"] },
      { kind: "list", ordered: false, start: 1, items: ["read the task", "write a test", "run it"] },
      { kind: "text", lines: ["Done."] },
    ]);
  });

  it("numbers a list from its first number", () => {
    expect(splitBlocks("3. three\n4) four")).toEqual([{ kind: "list", ordered: true, start: 3, items: ["three", "four"] }]);
  });

  it("starts a new list when bullets turn into numbers", () => {
    expect(splitBlocks("- a\n1. b").map((b) => b.kind === "list" && b.ordered)).toEqual([false, true]);
  });

  it("splits paragraphs at blank lines and keeps single line breaks", () => {
    expect(splitBlocks("one\ntwo\n\n\nthree")).toEqual([
      { kind: "text", lines: ["one", "two"] },
      { kind: "text", lines: ["three"] },
    ]);
  });

  it("leaves list markers inside fenced code alone", () => {
    expect(splitBlocks("```js\n- 1\n2. x\n```")).toEqual([{ kind: "code", lang: "js", text: "- 1\n2. x" }]);
  });

  it("reads an unclosed fence, a dash without a space and a bare number as text", () => {
    expect(splitBlocks("```\n-5 degrees\n2023 was long")).toEqual([{ kind: "text", lines: ["```", "-5 degrees", "2023 was long"] }]);
  });
});
