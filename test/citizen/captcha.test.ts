import { expect } from 'chai';
import { ManualClock } from '../../api/clock';
import { CAPTCHA_ALPHABET, CaptchaService, randomCaptchaText } from '../../infra/captcha/captcha';
import { parsedFont } from '../../infra/pdf/fonts';
import { freshDatabase, type FreshDatabase } from '../support/database';

const T0 = new Date('2026-03-02T02:00:00Z');

function svgOf(dataUrl: string): string {
  const prefix = 'data:image/svg+xml;base64,';
  expect(dataUrl.startsWith(prefix)).to.equal(true);
  const b64 = dataUrl.slice(prefix.length);
  expect(b64).to.match(/^[A-Za-z0-9+/]+=*$/);
  return Buffer.from(b64, 'base64').toString('utf8');
}

/** Every tag opened is closed in order, and only drawing elements occur. */
function elementsOf(svg: string): string[] {
  const stack: string[] = [];
  const seen: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)\b[^<>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (closing) expect(stack.pop()).to.equal(name);
    else {
      seen.push(name);
      if (!selfClosing) stack.push(name);
    }
  }
  expect(stack).to.deep.equal([]);
  // Nothing but markup: no text node between tags.
  expect(svg.replace(/<[^<>]*>/g, '')).to.equal('');
  return seen;
}

describe('captcha', function () {
  this.timeout(60_000);
  let fresh: FreshDatabase;
  let clock: ManualClock;
  let answers: string[];
  let captchas: CaptchaService;

  before(async () => {
    fresh = await freshDatabase();
  });
  after(async () => {
    await fresh?.close();
  });
  beforeEach(() => {
    clock = new ManualClock(T0);
    answers = ['k7pz4x', 'm3q9wa', 'h2ex5r', 'b8ud6t', 'v4nc2s', 'y9tg3p'];
    let next = 0;
    captchas = new CaptchaService(fresh.db, clock, { text: () => answers[next++ % answers.length] });
  });

  it('draws the answer as glyph outlines in an SVG data URL, with no text in it', async () => {
    const c = await captchas.issue();
    expect(c.captchaId).to.match(/^[0-9a-f-]{36}$/);
    expect(c.expiresAt.toISOString()).to.equal('2026-03-02T02:05:00.000Z');
    const svg = svgOf(c.image);
    expect(svg).to.match(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="160" height="50" viewBox="0 0 160 50">/);
    const elements = elementsOf(svg);
    expect(elements[0]).to.equal('svg');
    expect(new Set(elements)).to.deep.equal(new Set(['svg', 'rect', 'path', 'circle']));
    expect(svg).not.to.match(/<text|<tspan|font-family|<use|<image/i);
    expect(svg.toLowerCase()).not.to.include('k7pz4x');

    // The glyph paths are exactly the outlines of the answer's characters, in order.
    const font = parsedFont('sansBold');
    const glyphD = [...svg.matchAll(/<path d="([^"]+)" transform="([^"]+)"/g)].map((m) => ({ d: m[1], transform: m[2] }));
    expect(glyphD.map((g) => g.d)).to.deep.equal([...'k7pz4x'].map((ch) => font.layout(ch).glyphs[0].path.toSVG()));
    // Each glyph is turned by its own random angle.
    const angles = glyphD.map((g) => Number(/rotate\((-?[\d.]+)\)/.exec(g.transform)?.[1]));
    expect(angles.every((a) => Math.abs(a) <= 22)).to.equal(true);
    expect(new Set(angles).size).to.be.greaterThan(1);
    // Noise lines besides the glyphs.
    expect((svg.match(/stroke="/g) ?? []).length).to.be.at.least(4);
  });

  it('draws a different picture for the same answer each time', async () => {
    const one = new CaptchaService(fresh.db, clock, { text: () => 'k7pz4x' });
    expect((await one.issue()).image).not.to.equal((await one.issue()).image);
  });

  it('accepts the right answer once, then refuses it (single use)', async () => {
    const c = await captchas.issue();
    expect(await captchas.check(c.captchaId, 'k7pz4x')).to.equal(true);
    expect(await captchas.check(c.captchaId, 'k7pz4x')).to.equal(false);
  });

  it('refuses a wrong answer and consumes the captcha', async () => {
    const c = await captchas.issue();
    expect(await captchas.check(c.captchaId, 'k7pz4y')).to.equal(false);
    expect(await captchas.check(c.captchaId, 'k7pz4x')).to.equal(false);
  });

  it('ignores case and spaces', async () => {
    const c = await captchas.issue();
    expect(await captchas.check(c.captchaId, ' K7P z4X ')).to.equal(true);
  });

  it('refuses an expired captcha', async () => {
    const c = await captchas.issue();
    clock.advance(5 * 60_000);
    expect(await captchas.check(c.captchaId, 'k7pz4x')).to.equal(false);
    const d = await captchas.issue();
    clock.advance(5 * 60_000 - 1);
    expect(await captchas.check(d.captchaId, 'm3q9wa')).to.equal(true);
  });

  it('honours a shorter lifetime', async () => {
    const short = new CaptchaService(fresh.db, clock, { ttlMs: 60_000, text: () => 'abc234' });
    const c = await short.issue();
    expect(c.expiresAt.getTime() - T0.getTime()).to.equal(60_000);
    clock.advance(60_000);
    expect(await short.check(c.captchaId, 'abc234')).to.equal(false);
  });

  it('answers false, not an error, for a malformed or unknown id', async () => {
    expect(await captchas.check('not-a-uuid', 'k7pz4x')).to.equal(false);
    expect(await captchas.check("'; drop table captchas; --", 'k7pz4x')).to.equal(false);
    expect(await captchas.check('', '')).to.equal(false);
    expect(await captchas.check('6f1c2b9e-3a4d-4e5f-8a7b-1c2d3e4f5a6b', 'k7pz4x')).to.equal(false);
  });

  it('lets only one of two simultaneous checks pass', async () => {
    const c = await captchas.issue();
    const results = await Promise.all([captchas.check(c.captchaId, 'k7pz4x'), captchas.check(c.captchaId, 'k7pz4x')]);
    expect(results.filter(Boolean)).to.have.length(1);
  });

  it('stores a salted hash, never the answer, and purges expired rows', async () => {
    const same = new CaptchaService(fresh.db, clock, { text: () => 'k7pz4x' });
    const a = await same.issue();
    const b = await same.issue();
    const rows: Array<{ id: string; answer_hash: string }> = await fresh.db.query(`select id::text, answer_hash from captchas where id = any($1::uuid[])`, [[a.captchaId, b.captchaId]]);
    expect(rows).to.have.length(2);
    expect(rows[0].answer_hash).to.match(/^[0-9a-f]{64}$/);
    expect(rows[0].answer_hash).not.to.equal(rows[1].answer_hash);
    const all: Array<{ t: string }> = await fresh.db.query(`select row_to_json(c)::text as t from captchas c`);
    expect(all.some((r) => r.t.includes('k7pz4x'))).to.equal(false);

    clock.advance(6 * 60_000);
    await same.issue();
    const left: Array<{ n: number }> = await fresh.db.query(`select count(*)::int as n from captchas where id = any($1::uuid[])`, [[a.captchaId, b.captchaId]]);
    expect(left[0].n).to.equal(0);
  });

  it('makes default answers of 6 unambiguous characters', () => {
    for (let i = 0; i < 200; i++) {
      const t = randomCaptchaText();
      expect(t).to.have.length(6);
      for (const ch of t) expect(CAPTCHA_ALPHABET).to.include(ch);
    }
    expect(CAPTCHA_ALPHABET).not.to.match(/[01oli]/);
  });
});
