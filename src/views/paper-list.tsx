/** @jsxImportSource hono/jsx */
import { oneLineSummary } from "../../emails/_components/one-line-summary";
import { authorLine, paperLinkList, statsLine } from "../../emails/_components/paper-facts";
import { type Paper, paperLinks } from "../papers/paper";

/** A digest's papers as the web shows them: the same facts and link labels as the email. */
export function PaperList({ papers }: { papers: Paper[] }) {
  return (
    <ol class="papers">
      {papers.map((paper) => {
        const authors = authorLine(paper.authors);
        return (
          <li style="margin-bottom:1.5rem">
            <h2 style="font-size:1.15rem;line-height:1.35;margin:0 0 .25rem">
              <a href={paperLinks(paper).huggingFace}>{paper.title}</a>
            </h2>
            <p class="hint" style="margin:0 0 .35rem">
              {authors ? `${authors} · ${statsLine(paper)}` : statsLine(paper)}
            </p>
            <p style="margin:0 0 .35rem">{oneLineSummary(paper)}</p>
            <p class="hint" style="margin:0">
              {paperLinkList(paper).map((link, i) => (
                <>
                  {i > 0 && " · "}
                  <a href={link.href}>{link.label}</a>
                </>
              ))}
            </p>
          </li>
        );
      })}
    </ol>
  );
}

/** A few top papers, one line each, for teasers such as the home page's. */
export function TopPapers({ papers }: { papers: Paper[] }) {
  return (
    <ol>
      {papers.map((paper) => (
        <li>
          <a href={paperLinks(paper).huggingFace}>{paper.title}</a> <span class="hint">({statsLine(paper)})</span>
        </li>
      ))}
    </ol>
  );
}
