/** @jsxImportSource hono/jsx */
import type { PaperCard } from "../presentation/digest-view";

/** A digest's papers as the web shows them: the same cards, facts and link labels as the email. */
export function PaperList({ papers }: { papers: PaperCard[] }) {
  return (
    <ol class="papers">
      {papers.map((paper) => (
        <li style="margin-bottom:1.5rem">
          <h2 style="font-size:1.15rem;line-height:1.35;margin:0 0 .25rem">
            <a href={paper.href}>{paper.title}</a>
          </h2>
          <p class="hint" style="margin:0 0 .35rem">
            {paper.byline}
          </p>
          <p style="margin:0 0 .35rem">{paper.summary}</p>
          <p class="hint" style="margin:0">
            {paper.links.map((link, i) => (
              <>
                {i > 0 && " · "}
                <a href={link.href}>{link.label}</a>
              </>
            ))}
          </p>
        </li>
      ))}
    </ol>
  );
}
