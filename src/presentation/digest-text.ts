import type { DigestView } from "./digest-view";

const WIDTH = 78;

export interface DigestTextInput extends DigestView {
  unsubscribeUrl: string;
  preferencesUrl: string;
  postalAddress: string;
}

/**
 * The digest's plain-text part, built from the same view as the HTML so the two never
 * disagree. Prose wraps at 78 columns; URLs stay on their own lines, unbroken.
 */
export function digestText(input: DigestTextInput): string {
  const { heading, intro, topicsLine, webLink, sampleNotice, papers, reason, unsubscribeUrl, preferencesUrl, postalAddress } = input;
  const blocks: string[] = [[`paperboy · ${heading}`, ...wrap(intro, "")].join("\n"), `${webLink.label}: ${webLink.href}`];
  if (topicsLine) blocks.push([...wrap(`${topicsLine.label} ${topicsLine.topics}.`, ""), `${topicsLine.change}: ${topicsLine.href}`].join("\n"));
  if (sampleNotice) blocks.push(wrap(`Note: ${sampleNotice}`, "").join("\n"));
  // Ranks line up on their dots, and each paper's lines under its title: " 9. Title", "10. Title".
  const indent = " ".repeat(String(papers.length).length + 2);
  for (const paper of papers) {
    blocks.push(
      [
        ...wrap(paper.title, indent, `${paper.rank}. `.padStart(indent.length)),
        ...wrap(paper.byline, indent),
        ...wrap(paper.summary, indent),
        ...paper.links.map((link) => `${indent}${link.label}: ${link.href}`),
      ].join("\n"),
    );
  }
  blocks.push(
    ["--", ...wrap(reason, ""), `Unsubscribe in one click: ${unsubscribeUrl}`, `Manage preferences: ${preferencesUrl}`, ...wrap(postalAddress, "")].join("\n"),
  );
  return `${blocks.join("\n\n")}\n`;
}

/** Greedy word wrap; the first line may carry a different prefix (a rank number). */
function wrap(text: string, indent: string, firstPrefix: string = indent): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const prefix = lines.length === 0 ? firstPrefix : indent;
    if (line !== "" && prefix.length + line.length + 1 + word.length > WIDTH) {
      lines.push(prefix + line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  if (line !== "" || lines.length === 0) lines.push((lines.length === 0 ? firstPrefix : indent) + line);
  return lines;
}
