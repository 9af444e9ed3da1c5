// The customer report as one self-contained HTML document (no scripts, no external resources), laid out
// for A4 print: the same file is handed over as HTML and printed to PDF.
import { OUTCOME_LABELS, type Outcome } from './checklist-engine';
import type { ItemView } from './checklist-runs';
import type { ReportModel } from './report-model';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function date(iso: string | null | undefined, withTime = true): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return esc(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return withTime ? `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC` : day;
}

const pill = (o: Outcome) => `<span class="pill ${o}">${esc(OUTCOME_LABELS[o])}</span>`;
const KIND_LABEL = {
  automatic: 'Checked by Fieldkit',
  confirm: 'Confirmed by the technician',
  info: 'Information',
} as const;

function itemRow(i: ItemView): string {
  const evidence = i.auto
    ? [
        `<p class="summary">${esc(i.auto.summary)}</p>`,
        i.auto.evidence.length
          ? `<ul class="evidence">${i.auto.evidence.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>`
          : '',
      ].join('')
    : '';
  const a = i.answer;
  const answer =
    a && (a.note || a.reason)
      ? `<p class="answer">${a.status === 'deviation' ? `<strong>Deviation:</strong> ${esc(a.reason)} <span class="muted">(agreed with ${esc(a.agreedWith)})</span>` : ''}${a.note ? `${a.status === 'deviation' ? '<br>' : ''}<strong>Note:</strong> ${esc(a.note)}` : ''}</p>`
      : '';
  return `<tr class="item">
    <td class="status">${pill(i.outcome)}</td>
    <td><div class="item-title">${esc(i.title)}</div>
      <div class="meta">${esc(i.source)} · ${KIND_LABEL[i.kind]}${i.knownIssues?.length ? ` · ${esc(i.knownIssues.join(', '))}` : ''}${a ? ` · recorded ${date(a.at)}` : i.auto && 'evaluatedAt' in i.auto && i.auto.evaluatedAt ? ` · evaluated ${date(i.auto.evaluatedAt)}` : ''}</div>
      ${evidence}${answer}</td>
  </tr>`;
}

function table(head: string[], rows: string[][], cls = ''): string {
  return `<table class="grid ${cls}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.join('')}</tr>`).join('')}</tbody></table>`;
}
const td = (s: string, cls = '') => `<td${cls ? ` class="${cls}"` : ''}>${esc(s)}</td>`;

const FONT = '"Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif';
const cssString = (text: string) => `"${text.replace(/[\\"\n\r<>]/g, ' ')}"`;

function pageCss(footer: string): string {
  const box = `font-family: ${FONT}; font-size: 7.5pt; color: #6b7280;`;
  return `@page { size: A4; margin: 18mm 16mm 20mm 16mm;
  @bottom-left { content: ${cssString(footer)}; ${box} }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); ${box} } }`;
}

const CSS = `
:root { --sans: "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif; --ink: #1a2230; --muted: #5b6574; --line: #d5dbe3; --accent: #0b4f8a; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font: 9.5pt/1.45 var(--sans); color: var(--ink); background: #fff; }
.page { max-width: 178mm; margin: 0 auto; }
@media screen { body { background: #eef1f5; } .page { background: #fff; padding: 16mm; margin: 10mm auto; box-shadow: 0 1px 4px rgba(0,0,0,.12); } }
header.cover { border-bottom: 2.5pt solid var(--accent); padding-bottom: 5mm; margin-bottom: 6mm; }
.brand { font-size: 8pt; letter-spacing: .12em; text-transform: uppercase; color: var(--accent); font-weight: 700; }
h1 { font-size: 19pt; line-height: 1.2; margin: 2mm 0 1mm; }
.subtitle { color: var(--muted); margin: 0; }
.draft { display: inline-block; margin-top: 3mm; padding: 1mm 3mm; border: 1pt solid #b45309; color: #92400e; background: #fef3c7; font-weight: 700; border-radius: 2pt; }
dl.facts { display: grid; grid-template-columns: 34mm 1fr 34mm 1fr; gap: 1.2mm 4mm; margin: 5mm 0 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-weight: 600; }
h2 { font-size: 12.5pt; color: var(--accent); margin: 8mm 0 2.5mm; padding-bottom: 1mm; border-bottom: .75pt solid var(--line); break-after: avoid; }
h3 { font-size: 10.5pt; margin: 5mm 0 1.5mm; break-after: avoid; }
h3 .src { font-weight: 400; color: var(--muted); font-size: 8.5pt; }
p { margin: 0 0 2mm; }
.muted { color: var(--muted); }
.tiles { display: grid; grid-template-columns: repeat(6, 1fr); gap: 2mm; margin: 3mm 0; }
.tile { border: .75pt solid var(--line); border-radius: 3pt; padding: 2mm; text-align: center; }
.tile b { display: block; font-size: 15pt; line-height: 1.1; }
.tile span { font-size: 7.5pt; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.tile.fail b { color: #a3261b; } .tile.deviation b { color: #8a5a00; } .tile.pass b { color: #1d6b3a; }
table.grid { width: 100%; border-collapse: collapse; margin: 1mm 0 3mm; }
table.grid th { text-align: left; font-size: 7.5pt; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); border-bottom: 1.2pt solid var(--line); padding: 1.2mm 1.5mm; }
table.grid td { border-bottom: .5pt solid var(--line); padding: 1.4mm 1.5mm; vertical-align: top; }
table.grid tr { break-inside: avoid; }
table.grid.compact td { padding: .8mm 1.5mm; font-size: 8.5pt; }
td.mono, .nowrap { white-space: nowrap; }
td.mono, .mono { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 8pt; }
td.num { text-align: right; white-space: nowrap; }
table.items { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.items td { border-bottom: .5pt solid var(--line); padding: 1.8mm 1.5mm; vertical-align: top; }
table.items tr { break-inside: avoid; }
table.items col.status { width: 31mm; }
.item-title { font-weight: 600; }
.meta { font-size: 7.5pt; color: var(--muted); margin: .3mm 0 1mm; }
.summary { margin: 0 0 .6mm; }
ul.evidence { margin: 0; padding-left: 4mm; font-size: 8pt; color: #374151; }
ul.evidence li { margin: 0; }
.answer { margin: 1mm 0 0; font-size: 8.5pt; }
.pill { display: inline-block; font-size: 7.5pt; font-weight: 700; padding: .4mm 2mm; border-radius: 8pt; white-space: nowrap; background: #e5e7eb; color: #374151; }
.pill.pass { background: #dcf0e3; color: #1d6b3a; } .pill.warn { background: #fdf1d6; color: #7a4f00; }
.pill.fail { background: #fbe1dd; color: #a3261b; } .pill.deviation { background: #fde8c8; color: #8a4b00; }
.pill.noted, .pill.not-applicable { background: #e8edf3; color: #3f4b5b; } .pill.open { background: #fff; color: #a3261b; border: .75pt solid #a3261b; }
.note-box { border-left: 2.5pt solid var(--accent); background: #f3f7fb; padding: 2mm 3mm; margin: 2mm 0 3mm; }
.signoff { break-inside: avoid; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 8mm; }
.sign { display: grid; grid-template-columns: 1fr 1fr; gap: 8mm; margin-top: 4mm; }
.sign div.box { border: .75pt solid var(--line); border-radius: 3pt; padding: 3mm; }
.sign .role { font-size: 7.5pt; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.sign .name { font-weight: 700; font-size: 10.5pt; margin: 1mm 0 9mm; }
.sign .line { border-top: .75pt solid #6b7280; padding-top: 1mm; font-size: 7.5pt; color: var(--muted); display: flex; justify-content: space-between; }
.section-break { break-before: page; }
`;

export function renderReportHtml(m: ReportModel): string {
  const p = m.progress;
  const answered = (o: Outcome) => m.sections.flatMap((s) => s.items).filter((i) => i.outcome === o).length;
  const footer = `${m.site.customer ? `${m.site.customer} · ` : ''}${m.site.name} · Security checklist report${m.draft ? ' · DRAFT' : ''}`;
  const phonesTotal = m.inventory.phones.length;
  const status = m.draft
    ? `<div class="draft">Draft: ${!m.run ? 'no checklist run started yet' : p.open ? `run not completed, ${p.open} item${p.open === 1 ? '' : 's'} open` : 'all items answered, run not completed yet'}</div>`
    : '';

  const firmwareRows = m.firmware.changes.map((c) => [
    td(c.name || '—'),
    td(c.mac, 'mono'),
    td(c.model ?? ''),
    td(c.before, 'mono'),
    td(c.after, 'mono'),
    td(c.now ?? 'not in inventory', 'mono'),
    td(c.majorOrMinor ? 'major/minor' : 'patch/build'),
    `<td class="nowrap">${date(c.changedAt, false)}</td>`,
  ]);

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(`Security checklist report: ${m.site.name}`)}</title>
<style>${pageCss(footer)}${CSS}</style>
</head><body><div class="page">
<header class="cover">
  <div class="brand">Fieldkit · Installation report</div>
  <h1>Security checklist and handover report</h1>
  <p class="subtitle">${esc(m.checklist.title)} (checklist version ${m.checklist.version})</p>
  ${status}
  <dl class="facts">
    <dt>Customer</dt><dd>${esc(m.site.customer || '—')}</dd><dt>Site</dt><dd>${esc(m.site.name)}</dd>
    <dt>Technician</dt><dd>${esc(m.site.technician || '—')}</dd><dt>Customer contact</dt><dd>${esc(m.site.contactPerson || '—')}</dd>
    <dt>Run started</dt><dd>${date(m.run?.startedAt)}</dd><dt>Run completed</dt><dd>${m.run?.completedAt ? date(m.run.completedAt) : 'not completed'}</dd>
    <dt>Report created</dt><dd>${date(m.createdAt)}</dd><dt>Phones</dt><dd>${phonesTotal}</dd>
  </dl>
</header>

<section id="summary">
  <h2>Summary</h2>
  <div class="tiles">
    <div class="tile pass"><b>${answered('pass')}</b><span>Passed</span></div>
    <div class="tile"><b>${p.warnings}</b><span>With notes</span></div>
    <div class="tile fail"><b>${p.failed}</b><span>Failed</span></div>
    <div class="tile deviation"><b>${p.deviations}</b><span>Deviations</span></div>
    <div class="tile"><b>${answered('noted') + answered('not-applicable')}</b><span>Noted / n.a.</span></div>
    <div class="tile"><b>${p.open}</b><span>Open</span></div>
  </div>
  <div class="note-box">
    <p><strong>Why this checklist was run.</strong> ${m.run?.trigger.length ? m.run.trigger.map(esc).join(' ') : 'The integration guide makes the security checklist mandatory after the first installation and after every major or minor upgrade (guide §2.2).'}</p>
    <p class="muted">Based on: ${m.checklist.basedOn.map(esc).join('; ')}. "guide §" refers to the Mitel OpenScape Voice integration guide, "phone-facts §" to Fieldkit's compiled public facts about the Mitel 6800 series.</p>
  </div>
</section>

<section id="inventory">
  <h2>1 Site and inventory</h2>
  <p>${phonesTotal} phone${phonesTotal === 1 ? '' : 's'} of this integration${m.inventory.notSeen ? `, of which ${m.inventory.notSeen} on the technician's sheet not yet seen on the network` : ''}.${m.inventory.otherDevices ? ` ${m.inventory.otherDevices} other device${m.inventory.otherDevices === 1 ? ' was' : 's were'} found on the scanned networks and are not part of this integration.` : ''} The full list is in the appendix.</p>
  <div class="cols">
    <div>${table(
      ['Model', 'Phones'],
      m.inventory.byModel.map(([k, n]) => [td(k), td(String(n), 'num')]),
      'compact',
    )}</div>
    <div>${table(
      ['Firmware', 'Phones'],
      m.inventory.byFirmware.map(([k, n]) => [td(k, 'mono'), td(String(n), 'num')]),
      'compact',
    )}</div>
  </div>
</section>

<section id="firmware">
  <h2>2 Firmware before and after</h2>
  ${
    m.firmware.changes.length
      ? `<p>Firmware changes made by Fieldkit ${m.firmware.since ? `since the previous checklist (${date(m.firmware.since, false)})` : 'at this site'}; "Now" is the version in the current inventory.</p>${table(['Phone', 'MAC', 'Model', 'Before', 'After', 'Now', 'Change', 'Date'], firmwareRows, 'compact')}`
      : `<p>No firmware changes were made by Fieldkit ${m.firmware.since ? `since the previous checklist (${date(m.firmware.since, false)})` : 'at this site'}. Current versions are listed in section 1.</p>`
  }
</section>

<section id="results">
  <h2>3 Checklist results</h2>
  ${m.sections
    .filter((s) => s.items.length)
    .map(
      (s) =>
        `<h3>${esc(s.title)} <span class="src">${esc(s.source)}</span></h3><table class="items"><colgroup><col class="status"><col></colgroup><tbody>${s.items.map(itemRow).join('')}</tbody></table>`,
    )
    .join('\n')}
</section>

<section id="deviations">
  <h2>4 Deviations from standard settings</h2>
  ${
    m.deviations.length
      ? `<p>Documented in consultation with the customer's contact person (guide §2.2).</p>${table(
          ['Item', 'Reason', 'Agreed with', 'Recorded'],
          m.deviations.map((d) => [
            `<td><strong>${esc(d.title)}</strong><div class="meta">${esc(d.source)}</div></td>`,
            `<td>${esc(d.reason)}${d.note ? `<div class="meta">${esc(d.note)}</div>` : ''}</td>`,
            td(d.agreedWith),
            `<td class="nowrap">${date(d.at, false)}</td>`,
          ]),
        )}`
      : '<p>No deviations from standard settings were recorded.</p>'
  }
</section>

<section id="restrictions">
  <h2>5 Feature restrictions (customer handover)</h2>
  <p>Mitel 6867/6865 phones on OpenScape Voice behave differently from OpenScape CP devices in these points (guide §8).</p>
  ${table(
    ['Feature', 'Restriction / behaviour'],
    m.featureRestrictions.map((f) => [`<td><strong>${esc(f.feature)}</strong></td>`, td(f.restriction)]),
  )}
</section>

<section id="known-issues">
  <h2>6 Known issues and workarounds</h2>
  ${table(
    ['Issue', 'Description', 'Workaround / action'],
    m.knownIssues.map((k) => [td(k.id, 'mono'), td(k.description), td(k.workaround)]),
  )}
</section>

<section id="sign-off" class="signoff">
  <h2>7 Sign-off</h2>
  <p>The security checklist was worked through as recorded above. Deviations were agreed with the customer's contact person; the feature restrictions and known issues were handed over.</p>
  <div class="sign">
    <div class="box"><div class="role">Technician</div><div class="name">${esc(m.site.technician || ' ')}</div><div class="line"><span>Date</span><span>Signature</span></div></div>
    <div class="box"><div class="role">Customer contact person</div><div class="name">${esc(m.site.contactPerson || ' ')}</div><div class="line"><span>Date</span><span>Signature</span></div></div>
  </div>
</section>

<section id="appendix-phones" class="section-break">
  <h2>Appendix: phones</h2>
  ${
    phonesTotal
      ? table(
          ['Name', 'Number', 'Location', 'MAC', 'Model', 'Firmware'],
          m.inventory.phones.map((ph) => [
            td(ph.displayName || '—'),
            td(ph.directoryNumber),
            td(ph.location),
            td(ph.mac, 'mono'),
            td(ph.model),
            td(
              ph.presence === 'expected'
                ? 'not seen yet'
                : ph.presence === 'no-answer'
                  ? `${ph.firmware} (no answer to the last scan)`
                  : ph.firmware,
              'mono',
            ),
          ]),
          'compact',
        )
      : '<p>No phones in the inventory.</p>'
  }
  <p class="muted">Created by Fieldkit ${esc(m.fieldkitVersion)} on ${date(m.createdAt)}${m.run ? `, run ${esc(m.run.id)}` : ''}. This report contains no passwords or other credentials.</p>
</section>
</div></body></html>
`;
}
