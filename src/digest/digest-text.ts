import { type DailyDigestProps, digestCopy } from "../../emails/daily-digest";
import { longDate } from "../../emails/_components/digest-date";
import { oneLineSummary } from "../../emails/_components/one-line-summary";
import { authorLine, paperLinkList, statsLine } from "../../emails/_components/paper-facts";

const WIDTH = 78;
const INDENT = "   ";

/**
 * The digest's plain-text part, built from the same props and words as the HTML so the two
 * never disagree. Prose wraps at 78 columns; URLs stay on their own lines, unbroken.
 */
export function digestText({ date, papers, webUrl, siteUrl, unsubscribeUrl, postalAddress, sampleNotice }: DailyDigestProps): string {
  const blocks: string[] = [
    [`paperboy · ${longDate(date)}`, ...wrap(digestCopy.intro(papers.length), "")].join("\n"),
    `${digestCopy.viewInBrowser}: ${webUrl}`,
  ];
  if (sampleNotice) blocks.push(wrap(`Note: ${sampleNotice}`, "").join("\n"));
  papers.forEach((paper, index) => {
    const authors = authorLine(paper.authors);
    blocks.push(
      [
        ...wrap(paper.title, INDENT, `${index + 1}.`.padEnd(INDENT.length)),
        ...wrap(authors ? `${authors} · ${statsLine(paper)}` : statsLine(paper), INDENT),
        ...wrap(oneLineSummary(paper), INDENT),
        ...paperLinkList(paper).map((link) => `${INDENT}${link.label}: ${link.href}`),
      ].join("\n"),
    );
  });
  blocks.push(
    [
      "--",
      ...wrap(digestCopy.reason(siteUrl), ""),
      `Unsubscribe in one click: ${unsubscribeUrl}`,
      ...wrap(postalAddress, ""),
    ].join("\n"),
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
