// The subject access document as one self-contained HTML file: no scripts, no links to
// fetch, styles inline, readable on screen and printable (each section starts on a fresh
// page when printed). The lead may open it in a word processor to redact before sending.
import type { AccessOutline } from './access-document';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
  body { font: 16px/1.5 system-ui, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif; color: #1b1b1b; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
  h1 { font-size: 1.8rem; margin-bottom: 0.25rem; }
  h2 { font-size: 1.3rem; border-bottom: 2px solid #2d6a4f; padding-bottom: 0.2rem; margin-top: 2.2rem; }
  h3 { font-size: 1.05rem; margin: 1.2rem 0 0.3rem; }
  .notice { border: 2px solid #b45309; background: #fff7ed; padding: 0.75rem 1rem; border-radius: 6px; }
  .about { color: #444; }
  ul { padding-left: 1.2rem; }
  li { margin: 0.15rem 0; }
  .text { white-space: pre-wrap; border-left: 3px solid #ccc; padding-left: 0.75rem; }
  .empty { color: #555; font-style: italic; }
  @media print { body { margin: 0; max-width: none; } h2 { break-before: page; } h2:first-of-type { break-before: auto; } h3 { break-after: avoid; } }
`;

export function accessHtml(outline: AccessOutline): string {
  const sections = outline.sections.map((section) => {
    const blocks = section.blocks.map((block) =>
      [
        block.heading ? `<h3>${escape(block.heading)}</h3>` : '',
        block.lines.length ? `<ul>${block.lines.map((line) => `<li>${escape(line)}</li>`).join('')}</ul>` : '',
        block.text ? `<p><strong>${escape(block.text.label)}:</strong></p><div class="text">${escape(block.text.body)}</div>` : '',
      ].join(''),
    );
    return [
      `<section><h2>${escape(section.heading)}</h2>`,
      section.intro ? `<p>${escape(section.intro)}</p>` : '',
      blocks.length ? blocks.join('\n') : `<p class="empty">${escape(section.empty)}</p>`,
      '</section>',
    ].join('\n');
  });
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(outline.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escape(outline.title)}</h1>
${outline.about.map((line) => `<p class="about">${escape(line)}</p>`).join('\n')}
<p class="notice" role="note">${escape(outline.notice)}</p>
${sections.join('\n')}
</body>
</html>
`;
}
