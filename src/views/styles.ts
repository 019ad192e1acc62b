/** The pages' whole stylesheet: small enough to inline, so a page is one request. */
export const styles = `
:root { color-scheme: light dark; --text: #1f2328; --muted: #57606a; --accent: #0b57d0; --accent-text: #fff;
  --bg: #ffffff; --surface: #f6f8fa; --border: #8c959f; --error: #b3261e; }
@media (prefers-color-scheme: dark) { :root { --text: #e6edf3; --muted: #9da7b3; --accent: #8ab4f8; --accent-text: #0d1117;
  --bg: #0d1117; --surface: #161b22; --border: #6e7681; --error: #ffb4ab; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); line-height: 1.5;
  font: 17px/1.55 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
header, main, footer { max-width: 40rem; margin: 0 auto; padding: 1rem 1.25rem; }
.brand { font-weight: 700; letter-spacing: .04em; color: var(--text); text-decoration: none; text-transform: uppercase; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: .5rem 0 1rem; }
p { margin: 0 0 1rem; }
a { color: var(--accent); }
footer { color: var(--muted); font-size: .9rem; border-top: 1px solid var(--border); margin-top: 2rem; }
form { margin: 1.5rem 0; }
label { display: block; font-weight: 600; margin-bottom: .35rem; }
input[type=email], input[type=text], select { width: 100%; font: inherit; padding: .7rem .8rem; border: 2px solid var(--border); border-radius: 6px;
  background: var(--bg); color: var(--text); }
button { font: inherit; font-weight: 600; margin-top: .75rem; padding: .7rem 1.2rem; border: 0; border-radius: 6px;
  background: var(--accent); color: var(--accent-text); cursor: pointer; min-height: 44px; }
button.secondary { background: transparent; color: var(--accent); border: 2px solid var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
fieldset { border: 1px solid var(--border); border-radius: 8px; margin: 0 0 1rem; padding: .75rem 1rem; }
legend { font-weight: 700; padding: 0 .35rem; }
.choices label { font-weight: 400; margin: .35rem 0; }
.choices label.inline { display: inline-block; margin-right: 1rem; min-height: 44px; line-height: 44px; }
.choices input[type=radio], .choices input[type=checkbox] { width: 1.2rem; height: 1.2rem; vertical-align: middle; }
.choices select, .choices input[type=text] { margin-bottom: .75rem; }
.trap { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
.hint { color: var(--muted); font-size: .95rem; }
.error { color: var(--error); font-weight: 600; }
.card { background: var(--surface); border: 1px solid var(--border); border-radius: 8px; padding: 1rem 1.25rem; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--border); vertical-align: top; word-break: break-word; }
pre { white-space: pre-wrap; word-break: break-word; background: var(--surface); padding: 1rem; border-radius: 6px; }
iframe { width: 100%; height: 32rem; border: 1px solid var(--border); border-radius: 6px; background: #fff; }
`;
