import { MAX_SPAN_LENGTH, matchingBrace, renderMath } from "./tex-math";
import { ESCAPED_CHARACTERS, TEXT_ACCENTS, TEXT_LETTERS, TEXT_STYLES, TEXT_SWITCHES, TEXT_WORDS, own } from "./tex-symbols";

/**
 * TeX in paper titles and abstracts as readable plain text (escaped by whoever renders it):
 * `$\mathcal{O}(n^{2})$` becomes 𝒪(n²), `Uzna\'{n}ski` becomes Uznański, `0.05\%` becomes 0.05%.
 *
 * Formulas are `$…$`, `$$…$$`, `\(…\)` and `\[…\]`. A `$…$` is a formula only when, as in Pandoc,
 * no space sits just inside either dollar, so "costs $5 and $10" stays as it is. Content that
 * starts with a digit may be an amount, so it is a formula only if the closing dollar is not
 * followed by a digit ("$5-$10") and, if it has spaces, it shows a TeX sign (`\ ^ _ {`):
 * `$2 \times 3$` is one, "$5 in the US and 7 A$" is not. Scripts are described in tex-math.ts.
 *
 * Outside formulas only TeX changes: escapes (`\%`), accents (`\'e`), `\ss`-style letters,
 * `\emph{…}`-style commands and ``quotes''. `--`, `---` and `~` stay: in these texts they are far
 * more often a typed dash or "about" (~5%) than TeX. What it does not know stays as written: an
 * unknown command keeps its braces (`$\foo{x}$` gives `\foo{x}`), and a formula it cannot read
 * (unbalanced braces) loses only its dollars.
 */
export function texToText(text: string): string {
  if (typeof text !== "string" || text.length > MAX_TEXT_LENGTH || !/[\\$`]/.test(text)) return text;
  try {
    let current = text;
    for (let pass = 0; pass < MAX_PASSES; pass += 1) {
      const next = convertText(current);
      if (next === current) break;
      current = next;
    }
    return current;
  } catch {
    return text; // a bug here must never cost a digest its title
  }
}

/** No title or abstract is this long; longer input is returned as it is, so work stays bounded. */
const MAX_TEXT_LENGTH = 50_000;
/**
 * Real text is done in one pass (the second only confirms). Odd input can need more: `\$x\$`
 * reads as a formula only once unescaped. Repeating until nothing changes makes texToText
 * idempotent. Every pass that changes something shortens the text, so the passes end; a million
 * fuzzed TeX-like strings never needed more than this cap.
 */
const MAX_PASSES = 8;

/** What one step of a scan produced, and where the scan goes on. */
interface Step { text: string; end: number }

/** One pass over prose: formulas, text-mode commands and ``quotes'' are converted, the rest copied. */
function convertText(text: string): string {
  let out = "";
  let copiedUpTo = 0;
  for (let index = 0; index < text.length;) {
    const step = stepAt(text, index);
    if (step === null) {
      index += 1;
      continue;
    }
    out += text.slice(copiedUpTo, index) + step.text;
    index = copiedUpTo = step.end;
  }
  return out + text.slice(copiedUpTo);
}

function stepAt(text: string, index: number): Step | null {
  switch (text[index]) {
    case "$": return dollarMath(text, index);
    case "\\": return bracketMath(text, index) ?? textCommand(text, index);
    case "`": return text.startsWith("``", index) ? quotation(text, index) : null;
    case "{": return text[index + 1] === "\\" ? bracedCommand(text, index) : null;
    default: return null;
  }
}

/** `$$…$$` or `$…$` at `open`, if it is a formula (see texToText); null copies the dollar. */
function dollarMath(text: string, open: number): Step | null {
  if (text[open + 1] === "$") {
    const close = text.slice(open + 2, open + MAX_SPAN_LENGTH).indexOf("$$");
    const content = close < 0 ? "" : text.slice(open + 2, open + 2 + close);
    // Not a display formula: skip both dollars, so the second does not open an inline one.
    if (content.trim() === "" || content.includes("$")) return { text: "$$", end: open + 2 };
    return { text: renderMath(content, convertText), end: open + close + 4 };
  }
  const close = closingDollar(text, open + 1);
  if (close < 0) return null;
  const content = text.slice(open + 1, close);
  return looksLikeMath(content, text[close + 1] ?? "") ? { text: renderMath(content, convertText), end: close + 1 } : null;
}

/** The next `$` that is not escaped as `\$`, within a formula's length; -1 if none. */
function closingDollar(text: string, from: number): number {
  const end = Math.min(text.length, from + MAX_SPAN_LENGTH);
  for (let index = from; index < end; index += 1) {
    if (text[index] === "\\") index += 1;
    else if (text[index] === "$") return index;
  }
  return -1;
}

/** The rule in texToText's comment: `$content$` is a formula, not the text between two amounts. */
function looksLikeMath(content: string, afterClose: string): boolean {
  if (content === "" || /^\s|\s$/.test(content)) return false;
  if (!/^[\d.,]/.test(content)) return true;
  return !/\d/.test(afterClose) && (!/\s/.test(content) || /[\\^_{]/.test(content));
}

/** `\(…\)` or `\[…\]` at `open`: unambiguous TeX, so any non-empty content is a formula. */
function bracketMath(text: string, open: number): Step | null {
  const kind = text[open + 1];
  if (kind !== "(" && kind !== "[") return null;
  const close = text.slice(open + 2, open + 2 + MAX_SPAN_LENGTH).indexOf(kind === "(" ? "\\)" : "\\]");
  const content = close < 0 ? "" : text.slice(open + 2, open + 2 + close);
  return content.trim() === "" ? null : { text: renderMath(content, convertText), end: open + close + 4 };
}

/** A command outside a formula: `\%`, `\'e`, `\ss`, `\ldots`, `\emph{…}`; null leaves it as written. */
function textCommand(text: string, at: number): Step | null {
  const next = text[at + 1] ?? "";
  if (next === "\\") return { text: "\\\\", end: at + 2 }; // a line break, kept; and `\\%` is not `\%`
  const escaped = own(ESCAPED_CHARACTERS, next);
  if (escaped !== undefined) return { text: escaped, end: at + 2 };
  if (next === " " || next === "," || next === ";") return { text: " ", end: at + 2 };
  const accent = accented(text, at + 1);
  if (accent) return accent;
  const name = /^[A-Za-z]+/.exec(text.slice(at + 1, at + 40))?.[0] ?? "";
  let end = at + 1 + name.length;
  const letter = own(TEXT_LETTERS, name);
  if (letter !== undefined) {
    // TeX ends a command name with `{}` or one space, which it swallows: `Bj\o rn` is Bjørn.
    if (text.startsWith("{}", end)) end += 2;
    else if (text[end] === " ") end += 1;
    return { text: letter, end };
  }
  const word = own(TEXT_WORDS, name);
  if (word !== undefined) return { text: word, end: text.startsWith("{}", end) ? end + 2 : end };
  if (!TEXT_STYLES.has(name) || text[end] !== "{") return null;
  const close = matchingBrace(text, end);
  return close < 0 ? null : { text: convertText(text.slice(end + 1, close)), end: close + 1 };
}

/** `\'e`, `\'{e}`, `\"{\i}`, `\c{c}` as one accented letter; `at` is just after the backslash. */
function accented(text: string, at: number): Step | null {
  const accent = text[at] ?? "";
  const mark = own(TEXT_ACCENTS, accent);
  if (mark === undefined) return null;
  // Letter-named accents need braces: `\v{s}` is š, but `\vec` and `\cite` are other commands.
  const shape = /[a-z]/i.test(accent) ? /^\{(\\[ij]|[A-Za-z])\}/ : /^(?:\{(\\[ij]|[A-Za-z])\}|(\\[ij](?![A-Za-z])|[A-Za-z]))/;
  const match = shape.exec(text.slice(at + 1, at + 6));
  if (!match) return null;
  // TeX puts accents on a dotless \i; Unicode composes them with a plain i.
  const base = (match[1] ?? match[2] ?? "").replace("\\", "");
  return { text: `${base}${mark}`.normalize("NFC"), end: at + 1 + match[0].length };
}

/** BibTeX-style `{\'e}`, `{\o}` and `{\em words}`: the braces only protect what is inside. */
function bracedCommand(text: string, open: number): Step | null {
  const inner = textCommand(text, open + 1);
  if (inner && text[inner.end] === "}") return { text: inner.text, end: inner.end + 1 };
  const name = /^[A-Za-z]+/.exec(text.slice(open + 2, open + 20))?.[0] ?? "";
  const close = TEXT_SWITCHES.has(name) ? matchingBrace(text, open) : -1;
  return close < 0 ? null : { text: convertText(text.slice(open + 2 + name.length, close).trimStart()), end: close + 1 };
}

/** ``quoted'' as “quoted”, when the closing '' comes before any other `` and not too far on. */
function quotation(text: string, open: number): Step | null {
  const ahead = text.slice(open + 2, open + 2 + MAX_SPAN_LENGTH);
  const close = ahead.indexOf("''");
  if (close < 0 || ahead.slice(0, close).includes("``")) return null;
  return { text: `“${convertText(ahead.slice(0, close))}”`, end: open + close + 4 };
}
