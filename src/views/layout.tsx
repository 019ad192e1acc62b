/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { styles } from "./styles";

export function Layout({ title, children }: { title: string; children: Child }) {
  return (
    <Document
      title={title === "paperboy" ? title : `${title} · paperboy`}
      head={
        <>
          <link rel="alternate" type="application/atom+xml" title="paperboy daily" href="/feed.xml" />
          <link rel="alternate" type="application/atom+xml" title="paperboy weekly" href="/feed/weekly.xml" />
        </>
      }
    >
      <header>
        <a class="brand" href="/">
          paperboy
        </a>
      </header>
      <main id="main">{children}</main>
      <footer>Trending AI research papers from Hugging Face's Daily Papers, every morning.</footer>
    </Document>
  );
}

/** Every page's document: the same head (one inline stylesheet, `extraStyles` appended), what `head` adds, and the body. */
export function Document({ title, head, extraStyles = "", children }: { title: string; head?: Child; extraStyles?: string; children: Child }) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <title>{title}</title>
          {head}
          <style>{raw(styles + extraStyles)}</style>
        </head>
        <body>{children}</body>
      </html>
    </>
  );
}
