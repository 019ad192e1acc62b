import {
  DELIMITER_SIZES, ESCAPED_CHARACTERS, MATH_ACCENTS, MATH_SPACES, MATH_STYLES, SUBSCRIPTS, SUPERSCRIPTS,
  TEXT_STYLES, inAlphabet, isAlphabet, mathSymbol, operatorWord, own,
} from "./tex-symbols";

/**
 * The formula half of `texToText` (tex.ts): reads what stood between the dollars and writes it
 * as plain text. Prose inside a formula (`\text{…}`) goes back to the caller's prose converter,
 * passed in so that the two halves need not import each other.
 */

/** A "formula" longer than this is prose between two unrelated dollar signs. Also bounds every look-ahead. */
export const MAX_SPAN_LENGTH = 400;
/** Nobody types braces nested deeper than this; such a formula stays as written. */
const MAX_DEPTH = 20;

/** Index of the `}` closing the `{` at `open` (`\{` and `\}` skipped), or -1 if none near enough. */
export function matchingBrace(text: string, open: number): number {
  let depth = 0;
  const end = Math.min(text.length, open + MAX_SPAN_LENGTH);
  for (let index = open; index < end; index += 1) {
    const char = text[index];
    if (char === "\\") index += 1;
    else if (char === "{") depth += 1;
    else if (char === "}" && --depth === 0) return index;
  }
  return -1;
}

/** A formula being read: its source, the read position, brace depth, and commands not known. */
interface Formula { source: string; at: number; depth: number; unknown: number; prose: (text: string) => string }

/** One piece of a formula's text; `word` marks operator names, which need spaces around them. */
interface Atom { text: string; word: boolean }

const plain = (text: string): Atom => ({ text, word: false });

/**
 * A formula as text; one that cannot be read at all (unbalanced, too deep) stays as written.
 * `prose` converts the text-mode argument of `\text{…}`.
 */
export function renderMath(source: string, prose: (text: string) => string): string {
  const formula: Formula = { source, at: 0, depth: 0, unknown: 0, prose };
  try {
    // TeX ignores spaces in math; the ones authors type are kept, except just inside brackets.
    return readSequence(formula, false)
      .replace(/\s+/g, " ")
      .replace(/(?<=[([{⟨⌊⌈]) | (?=[)\]}⟩⌋⌉])/gu, "")
      .trim();
  } catch {
    return source.trim();
  }
}

/** Atoms up to the end, or up to the `}` that closes the group when `inGroup`. */
function readSequence(formula: Formula, inGroup: boolean): string {
  let out = "";
  let afterWord = false;
  while (formula.at < formula.source.length) {
    const char = formula.source[formula.at];
    if (char === "}") {
      if (!inGroup) throw new SyntaxError("unbalanced }");
      formula.at += 1;
      return out;
    }
    if (char === "^" || char === "_") {
      out += readScript(formula);
      afterWord = false;
      continue;
    }
    const atom = readAtom(formula);
    // TeX sets `\log` apart from letters and digits on either side: "n log n", not "nlogn".
    if ((atom.word || afterWord) && /[\p{L}\p{N}]$/u.test(out) && /^[\p{L}\p{N}]/u.test(atom.text)) out += " ";
    out += atom.text;
    afterWord = atom.word || (afterWord && atom.text === "");
  }
  if (inGroup) throw new SyntaxError("unclosed {");
  return out;
}

function readAtom(formula: Formula): Atom {
  const char = String.fromCodePoint(formula.source.codePointAt(formula.at) ?? 0);
  if (char === "\\") return readCommand(formula);
  formula.at += char.length;
  if (char === "{") return plain(readGroup(formula));
  return plain(char === "~" || /\s/.test(char) ? " " : char);
}

/** The rest of a `{group}` whose `{` was just read. */
function readGroup(formula: Formula): string {
  if (++formula.depth > MAX_DEPTH) throw new RangeError("nested too deep");
  const text = readSequence(formula, true);
  formula.depth -= 1;
  return text;
}

/** One argument: a `{group}`, a command (`\frac\alpha2`) or a single character. */
function readArgument(formula: Formula): string {
  while (/\s/.test(formula.source[formula.at] ?? "")) formula.at += 1;
  const char = formula.source[formula.at];
  if (char === undefined || char === "}" || char === "^" || char === "_") throw new SyntaxError("missing argument");
  if (char !== "{") return readAtom(formula).text;
  formula.at += 1;
  return readGroup(formula);
}

/**
 * A command and its arguments. One that is not known, or whose arguments hold one that is not,
 * stays exactly as written, with its braced arguments: `\foo{x}`, `\frac{\foo}{2}`.
 */
function readCommand(formula: Formula): Atom {
  const { source } = formula;
  const start = formula.at;
  const name = /^[A-Za-z]+/.exec(source.slice(start + 1, start + 40))?.[0] ?? source[start + 1] ?? "";
  formula.at = start + 1 + name.length;
  const unknownBefore = formula.unknown;
  const atom = knownCommand(formula, name);
  if (atom === undefined) {
    formula.unknown += 1;
    while (source[formula.at] === "{") {
      const close = matchingBrace(source, formula.at);
      if (close < 0) break; // the unclosed brace then fails the whole formula
      formula.at = close + 1;
    }
  }
  return atom === undefined || formula.unknown !== unknownBefore ? plain(source.slice(start, formula.at)) : atom;
}

function knownCommand(formula: Formula, name: string): Atom | undefined {
  const symbol = mathSymbol(name) ?? own(ESCAPED_CHARACTERS, name) ?? own(MATH_SPACES, name);
  if (symbol !== undefined) return plain(symbol);
  const word = operatorWord(name);
  if (word !== undefined) return { text: word, word: true };
  if (name === "operatorname") {
    if (formula.source[formula.at] === "*") formula.at += 1;
    return { text: readArgument(formula), word: true };
  }
  if (MATH_STYLES.has(name)) return plain(readArgument(formula));
  if (TEXT_STYLES.has(name)) return plain(formula.prose(readProseArgument(formula)));
  if (isAlphabet(name)) return plain(inAlphabet(name, readArgument(formula)));
  const mark = own(MATH_ACCENTS, name);
  if (mark !== undefined) return plain(withAccent(formula, name, mark));
  if (DELIMITER_SIZES.has(name)) {
    if (formula.source[formula.at] === ".") formula.at += 1; // `\left.` is an invisible delimiter
    return plain("");
  }
  switch (name) {
    case "frac": case "dfrac": case "tfrac": case "cfrac": {
      const numerator = readArgument(formula);
      return plain(`${grouped(numerator)}/${grouped(readArgument(formula))}`);
    }
    case "sqrt": return plain(squareRoot(formula));
    case "not": return plain(`${readArgument(formula)}\u0338`.normalize("NFC")); // \not\in is ∉
    case "pmod": return plain(` (mod ${readArgument(formula)})`);
    case "|": return plain("‖");
    default: return undefined;
  }
}

/** `\text{…}` holds prose: its argument is taken as written, so spaces and accents survive. */
function readProseArgument(formula: Formula): string {
  while (/\s/.test(formula.source[formula.at] ?? "")) formula.at += 1;
  const open = formula.at;
  if (formula.source[open] !== "{") return readArgument(formula);
  const close = matchingBrace(formula.source, open);
  if (close < 0) throw new SyntaxError("unclosed {");
  formula.at = close + 1;
  return formula.source.slice(open + 1, close);
}

/**
 * `^x` and `_{ij}` become Unicode super- and subscripts when every character has one (x², xᵢⱼ,
 * Aᵀ, x⁻¹, and xₘₐₓ too). Otherwise the script stays inline, TeX-style: one character or one
 * word as it is (`\ell_\infty` gives ℓ_∞, `x_{\text{cold}}` x_cold), anything longer bracketed
 * (`\mathbb{R}^{d \times k}` gives ℝ^(d×k)). Spaces in a script are dropped except between words.
 */
function readScript(formula: Formula): string {
  const start = formula.at;
  const up = formula.source[start] === "^";
  formula.at += 1;
  const unknownBefore = formula.unknown;
  const content = readArgument(formula)
    .replace(/\s+/g, " ")
    .replace(/ (?=[^\p{L}\p{N}])|(?<=[^\p{L}\p{N} ]) /gu, "")
    .trim();
  return formula.unknown === unknownBefore ? script(content, up) : formula.source.slice(start, formula.at);
}

function script(content: string, up: boolean): string {
  if (content === "") return "";
  if (up && /^[′″‴*†‡]+$/u.test(content)) return content; // marks that are raised already: f′, x*, A†
  if (up && content === "∘") return "°"; // 90^\circ
  const table = up ? SUPERSCRIPTS : SUBSCRIPTS;
  const chars = Array.from(content);
  if (chars.every((char) => table.has(char))) return chars.map((char) => table.get(char)).join("");
  const marker = up ? "^" : "_";
  const oneWhole = chars.length === 1 || /^[\p{L}\p{N}]+$/u.test(content) || isParenthesized(content);
  return oneWhole ? marker + content : `${marker}(${content})`;
}

/** Whether `text` is one bracketed whole, "(a+b)" but not "(a)+(b)". */
function isParenthesized(text: string): boolean {
  if (!text.startsWith("(") || !text.endsWith(")")) return false;
  let depth = 0;
  for (let index = 0; index < text.length - 1; index += 1) {
    if (text[index] === "(") depth += 1;
    else if (text[index] === ")" && --depth === 0) return false;
  }
  return true;
}

/** A fraction part or radicand of more than one term gets parentheses: (a+b)/2, √(x+1). */
function grouped(text: string): string {
  const trimmed = text.trim();
  return /[\s+\-−±∓×·/=<>≤≥≠≈∼,;:|]/u.test(trimmed) && !isParenthesized(trimmed) ? `(${trimmed})` : trimmed;
}

const ROOT_SIGNS: Record<string, string> = { "": "√", "2": "√", "3": "∛", "4": "∜" };

/** `\sqrt{x}` is √x, `\sqrt[3]{x}` is ∛x, `\sqrt[n]{x}` is ⁿ√x. */
function squareRoot(formula: Formula): string {
  let degree = "";
  if (formula.source[formula.at] === "[") {
    const close = formula.source.indexOf("]", formula.at);
    if (close < 0) throw new SyntaxError("unclosed [");
    const inner: Formula = { ...formula, source: formula.source.slice(formula.at + 1, close), at: 0, unknown: 0 };
    degree = readSequence(inner, false).trim();
    formula.unknown += inner.unknown;
    formula.at = close + 1;
  }
  const radicand = grouped(readArgument(formula));
  const sign = own(ROOT_SIGNS, degree) ?? `${script(degree, true)}√`;
  return sign + radicand;
}

/** `\hat{x}` is x̂ and `\tilde{O}` is Õ; only a bar can span several characters (`\overline{AB}`). */
function withAccent(formula: Formula, name: string, mark: string): string {
  const chars = Array.from(readArgument(formula).trim());
  if (chars.length === 1) return `${chars[0]}${mark}`.normalize("NFC");
  if (name === "overline" || name === "bar") return chars.map((char) => `${char}\u0305`).join("");
  formula.unknown += 1; // \widehat{xy} has no plain-text form: keep it as written
  return "";
}
