import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { syntheticReport } from '../synthetic-report';
import { renderHtml } from './html';

const CHROMIUM = '/usr/bin/chromium';
const describeWithChromium = fs.existsSync(CHROMIUM)
  ? describe
  : (name: string, fn: () => void) =>
      describe.skip(`${name} [skipped: no ${CHROMIUM}; apt-get install chromium]`, fn);

describeWithChromium('the HTML report in headless Chromium (20,000 tests, 500 failures)', () => {
  let browser: Browser;
  let file: string;
  let flaky: number;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox'] });
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'verdict-html-')), 'report.html');
    const report = syntheticReport(20_000, 500);
    flaky = (report.extra as { tests: { flaky: boolean }[] }).tests.filter((t) => t.flaky).length;
    fs.writeFileSync(file, renderHtml(report));
  });
  afterAll(() => browser?.close());

  it('loads from one file with no other request and no error, failures first with their diffs, and search and filters narrow the list', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    await page.goto(`file://${file}`);

    expect(requests).toEqual([`file://${file}`]);
    expect(problems).toEqual([]);
    expect(await page.textContent('#count')).toBe('500 of 20000 shown');
    const firstStatuses = await page.$$eval('#tests tr', (rows) =>
      rows.slice(0, 500).map((r) => r.getAttribute('data-status')),
    );
    expect(new Set(firstStatuses)).toEqual(new Set(['failed', 'broken']));
    expect(await page.locator('#failure-list .failure').count()).toBe(200);
    const diff = await page.locator('#failure-list .failure').first().locator('.diff').innerText();
    expect(diff).toContain('expected');
    expect(diff).toContain('"total": 1');
    expect(diff).toContain('actual');

    await page.fill('#search', 'case 12345 handles');
    expect(await page.textContent('#count')).toBe('1 of 1 shown');
    expect(await page.locator('#tests tr').innerText()).toContain('case 12345 handles input');

    await page.fill('#search', '');
    await page.click('button[data-filter="failed"]');
    expect(await page.textContent('#count')).toBe('500 of 500 shown');
    await page.click('button[data-filter="flaky"]');
    expect(await page.textContent('#count')).toBe(`${flaky} of ${flaky} shown`);
    await page.click('button[data-filter="all"]');
    await page.click('#more');
    expect(await page.textContent('#count')).toBe('1000 of 20000 shown');
    expect(problems).toEqual([]);
  }, 60_000);
});
