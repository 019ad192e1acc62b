/**
 * The tables behind `texToText` (tex.ts): which TeX command becomes which Unicode text.
 * Kept apart so that tex.ts reads as the rules and this file as the dictionary.
 */

/**
 * Greek letters. `\epsilon` and `\phi` give the everyday forms ε and φ (like `\varepsilon`
 * and `\varphi`): TeX's lunate ϵ and looped ϕ are the same letters to a reader, and every font
 * has ε and φ. The other `\var…` forms are distinct glyphs that readers do tell apart.
 */
const GREEK: Record<string, string> = {
  alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε", zeta: "ζ", eta: "η",
  theta: "θ", vartheta: "ϑ", iota: "ι", kappa: "κ", varkappa: "ϰ", lambda: "λ", mu: "μ", nu: "ν",
  xi: "ξ", omicron: "ο", pi: "π", varpi: "ϖ", rho: "ρ", varrho: "ϱ", sigma: "σ", varsigma: "ς",
  tau: "τ", upsilon: "υ", phi: "φ", varphi: "φ", chi: "χ", psi: "ψ", omega: "ω", digamma: "ϝ",
  Gamma: "Γ", Delta: "Δ", Theta: "Θ", Lambda: "Λ", Xi: "Ξ", Pi: "Π", Sigma: "Σ", Upsilon: "Υ",
  Phi: "Φ", Psi: "Ψ", Omega: "Ω",
};

/** Relations, operators, arrows, big operators and other single symbols of math mode. */
const SYMBOLS: Record<string, string> = {
  leq: "≤", le: "≤", geq: "≥", ge: "≥", neq: "≠", ne: "≠", approx: "≈", sim: "∼", simeq: "≃",
  cong: "≅", equiv: "≡", propto: "∝", ll: "≪", gg: "≫", lesssim: "≲", gtrsim: "≳", leqslant: "⩽",
  geqslant: "⩾", prec: "≺", succ: "≻", preceq: "⪯", succeq: "⪰", triangleq: "≜", coloneqq: "≔",
  models: "⊨", vdash: "⊢", perp: "⊥", parallel: "∥", mid: "|", nmid: "∤",
  times: "×", cdot: "·", pm: "±", mp: "∓", div: "÷", ast: "∗", star: "⋆", circ: "∘", bullet: "•",
  oplus: "⊕", otimes: "⊗", odot: "⊙", setminus: "∖", cup: "∪", cap: "∩", sqcup: "⊔", wedge: "∧",
  land: "∧", vee: "∨", lor: "∨", neg: "¬", lnot: "¬", forall: "∀", exists: "∃", nexists: "∄",
  in: "∈", notin: "∉", ni: "∋", subset: "⊂", subseteq: "⊆", subsetneq: "⊊", supset: "⊃",
  supseteq: "⊇", emptyset: "∅", varnothing: "∅", infty: "∞", partial: "∂", nabla: "∇",
  to: "→", rightarrow: "→", leftarrow: "←", gets: "←", leftrightarrow: "↔", Rightarrow: "⇒",
  Leftarrow: "⇐", Leftrightarrow: "⇔", implies: "⟹", impliedby: "⟸", iff: "⟺", mapsto: "↦",
  longrightarrow: "⟶", longleftarrow: "⟵", longmapsto: "⟼", uparrow: "↑", downarrow: "↓",
  hookrightarrow: "↪", rightleftharpoons: "⇌", sum: "∑", prod: "∏", coprod: "∐", int: "∫",
  iint: "∬", iiint: "∭", oint: "∮", bigcup: "⋃", bigcap: "⋂", bigoplus: "⨁", bigotimes: "⨂",
  bigvee: "⋁", bigwedge: "⋀", ell: "ℓ", hbar: "ℏ", imath: "ı", jmath: "ȷ", aleph: "ℵ", wp: "℘",
  Re: "ℜ", Im: "ℑ", top: "⊤", bot: "⊥", angle: "∠", triangle: "△", square: "□", Box: "□",
  diamond: "⋄", dagger: "†", ddagger: "‡", prime: "′", langle: "⟨", rangle: "⟩", lfloor: "⌊",
  rfloor: "⌋", lceil: "⌈", rceil: "⌉", vert: "|", lvert: "|", rvert: "|", Vert: "‖", lVert: "‖",
  rVert: "‖", colon: ":", ldots: "…", dots: "…", cdots: "⋯", vdots: "⋮", ddots: "⋱", checkmark: "✓",
  sharp: "♯", flat: "♭", natural: "♮", degree: "°", S: "§", P: "¶", dag: "†", ddag: "‡",
  copyright: "©", lbrace: "{", rbrace: "}", backslash: "\\",
};

/** Backslash and one character: the same in text and math (`\%` is a percent sign). */
export const ESCAPED_CHARACTERS: Record<string, string> = {
  "%": "%", "&": "&", "_": "_", "#": "#", $: "$", "{": "{", "}": "}",
};

/** Math-mode spacing commands: readable as one space (`\!` is a negative space: none). */
export const MATH_SPACES: Record<string, string> = {
  ",": " ", ";": " ", ":": " ", ">": " ", " ": " ", "\\": " ", "!": "", quad: " ", qquad: " ",
  enspace: " ", thinspace: " ", medspace: " ", thickspace: " ", negthinspace: "",
};

/** The single symbol a math command stands for: Greek, then the other symbols. */
export function mathSymbol(name: string): string | undefined {
  return Object.hasOwn(GREEK, name) ? GREEK[name] : Object.hasOwn(SYMBOLS, name) ? SYMBOLS[name] : undefined;
}

/** Operators that TeX sets as upright words (`\log`, `\max`), spelled as the word itself. */
const OPERATOR_WORDS = new Set([
  "log", "ln", "lg", "exp", "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan",
  "sinh", "cosh", "tanh", "coth", "max", "min", "sup", "inf", "arg", "lim", "det", "dim", "ker",
  "deg", "gcd", "lcm", "Pr", "hom", "argmax", "argmin", "polylog", "poly", "Tr", "tr", "Var", "Cov",
  "diag", "rank", "sgn", "softmax",
]);

/** The word an operator command is written as, or undefined if `name` is not one. */
export function operatorWord(name: string): string | undefined {
  if (name === "liminf" || name === "limsup") return `lim ${name.slice(3)}`;
  if (name === "bmod") return "mod";
  return OPERATOR_WORDS.has(name) ? name : undefined;
}

function pairs(from: string, to: string): ReadonlyMap<string, string> {
  const keys = Array.from(from);
  const values = Array.from(to);
  return new Map(keys.map((key, index) => [key, values[index] ?? key]));
}

/** Every character that has a Unicode subscript form (U+2080 block and phonetic extensions). */
export const SUBSCRIPTS = pairs("0123456789+-−=()aehijklmnoprstuvxβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ");

/** Every character with a superscript form; ⊤ (from `^\top`) is the transpose ᵀ. No q, C, F, Q, S, X, Y, Z. */
export const SUPERSCRIPTS = pairs(
  "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθιφχ⊤",
  "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᶥᵠᵡᵀ",
);

/**
 * Math alphabets: the first code point of A–Z, a–z and 0–9 in the Mathematical Alphanumeric
 * Symbols block, and the letters that Unicode had already encoded elsewhere (the block's holes).
 */
interface Alphabet { upper: number; lower: number; digits?: number; holes: ReadonlyMap<string, string> }

const DOUBLE_STRUCK: Alphabet = { upper: 0x1d538, lower: 0x1d552, digits: 0x1d7d8, holes: pairs("CHNPQRZ", "ℂℍℕℙℚℝℤ") };
const SCRIPT: Alphabet = { upper: 0x1d49c, lower: 0x1d4b6, holes: pairs("BEFHILMRego", "ℬℰℱℋℐℒℳℛℯℊℴ") };
const FRAKTUR: Alphabet = { upper: 0x1d504, lower: 0x1d51e, holes: pairs("CHIRZ", "ℭℌℑℜℨ") };

// \mathbbm, \mathds and \mathscr come from the bbm, dsfont and mathrsfs packages.
const ALPHABETS: Record<string, Alphabet> = {
  mathbb: DOUBLE_STRUCK, mathbbm: DOUBLE_STRUCK, mathds: DOUBLE_STRUCK, mathcal: SCRIPT, mathscr: SCRIPT, mathfrak: FRAKTUR,
};

/** Whether `name` is a math alphabet command such as `\mathbb`. */
export function isAlphabet(name: string): boolean {
  return Object.hasOwn(ALPHABETS, name);
}

/** `text` in the alphabet `name`; characters it lacks (Greek, punctuation) stay as they are. */
export function inAlphabet(name: string, text: string): string {
  const alphabet = Object.hasOwn(ALPHABETS, name) ? ALPHABETS[name] : undefined;
  if (!alphabet) return text;
  return Array.from(text, (char) => {
    const code = char.charCodeAt(0);
    const hole = alphabet.holes.get(char);
    if (hole !== undefined) return hole;
    if (char >= "A" && char <= "Z") return String.fromCodePoint(alphabet.upper + code - 65);
    if (char >= "a" && char <= "z") return String.fromCodePoint(alphabet.lower + code - 97);
    if (char >= "0" && char <= "9" && alphabet.digits) return String.fromCodePoint(alphabet.digits + code - 48);
    return char;
  }).join("");
}

/** Math accents as combining marks: `\hat{x}` is x̂. */
export const MATH_ACCENTS: Record<string, string> = {
  hat: "\u0302", widehat: "\u0302", check: "\u030c", tilde: "\u0303", widetilde: "\u0303",
  acute: "\u0301", grave: "\u0300", dot: "\u0307", ddot: "\u0308", breve: "\u0306", bar: "\u0304",
  overline: "\u0305", vec: "\u20d7", mathring: "\u030a",
};

/** Text accents: `\'e` is é, `\"{o}` is ö, `\c{c}` is ç. Letter-named ones need braces. */
export const TEXT_ACCENTS: Record<string, string> = {
  "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307",
  u: "\u0306", v: "\u030c", H: "\u030b", c: "\u0327", k: "\u0328", r: "\u030a", d: "\u0323", b: "\u0331",
};

/** Letters that text mode spells as commands (`Bj\o rn`, `Stra\ss e`, `\L{}ukasz`). */
export const TEXT_LETTERS: Record<string, string> = {
  ss: "ß", o: "ø", O: "Ø", ae: "æ", AE: "Æ", oe: "œ", OE: "Œ", aa: "å", AA: "Å", l: "ł", L: "Ł",
  i: "ı", j: "ȷ",
};

/** Text-mode commands for punctuation and names; the space after them is kept. */
export const TEXT_WORDS: Record<string, string> = {
  ldots: "…", dots: "…", textellipsis: "…", textendash: "–", textemdash: "—", LaTeX: "LaTeX", TeX: "TeX",
};

/** Commands that only change the look of their argument: we keep the argument. */
export const TEXT_STYLES = new Set([
  "text", "textrm", "textbf", "textit", "textsl", "textsf", "texttt", "textsc", "textup", "textmd",
  "textnormal", "emph", "underline", "mbox",
]);

/** The math-mode counterparts: their argument is math, so `\mathbf{x}_i` still works. */
export const MATH_STYLES = new Set([
  "mathbf", "mathrm", "mathit", "mathsf", "mathtt", "mathnormal", "boldsymbol", "bm", "pmb",
]);

/** `{\bf word}` style switches in text: the words stay, the switch goes. */
export const TEXT_SWITCHES = new Set(["bf", "it", "em", "sl", "sc", "rm", "tt", "sf", "bfseries", "itshape"]);

/** Commands that only size or place a delimiter (`\left(`): the delimiter alone is kept. */
export const DELIMITER_SIZES = new Set([
  "left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl",
  "biggr", "Biggl", "Biggr", "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits",
]);

/** `record[key]` for the record's own keys only, so "constructor" is not a TeX command. */
export function own(record: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
