import { expect } from 'chai';
import { ManualClock } from '../../api/clock';
import { CAPTCHA_ALPHABET, CAPTCHA_LENGTH, CaptchaService, randomCaptchaText } from '../../infra/captcha/captcha';
import { CAPTCHA_HEIGHT, CAPTCHA_STYLE, CAPTCHA_WIDTH, captchaPng, drawCaptcha } from '../../infra/captcha/captchaImage';
import { seededRandom, type Random } from '../../infra/captcha/seededRandom';
import { decodeRgbPng, inkOf, PLAIN_STYLE, readByLookup, shapeTable } from '../support/captchaAttack';
import { freshDatabase, type FreshDatabase } from '../support/database';

const T0 = new Date('2026-03-02T02:00:00Z');

function pngOf(dataUrl: string): Buffer {
  const prefix = 'data:image/png;base64,';
  expect(dataUrl.startsWith(prefix)).to.equal(true);
  const b64 = dataUrl.slice(prefix.length);
  expect(b64).to.match(/^[A-Za-z0-9+/]+=*$/);
  return Buffer.from(b64, 'base64');
}

/** An answer drawn from the alphabet with a seeded generator: the same on every run. */
function answerFrom(random: Random): string {
  return Array.from({ length: CAPTCHA_LENGTH }, () => CAPTCHA_ALPHABET[Math.floor(random() * CAPTCHA_ALPHABET.length)]).join('');
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

  it('draws the answer as a PNG of pixels: no markup, no outline, no text in it', async () => {
    const c = await captchas.issue();
    expect(c.captchaId).to.match(/^[0-9a-f-]{36}$/);
    expect(c.expiresAt.toISOString()).to.equal('2026-03-02T02:05:00.000Z');
    const png = pngOf(c.image);
    const picture = decodeRgbPng(png);
    expect([picture.width, picture.height]).to.deep.equal([CAPTCHA_WIDTH, CAPTCHA_HEIGHT]);
    expect([CAPTCHA_WIDTH, CAPTCHA_HEIGHT]).to.deep.equal([270, 90]);
    // Only the image chunks: no text chunk could carry the answer.
    const chunks: string[] = [];
    for (let offset = 8; offset < png.length; offset += 12 + png.readUInt32BE(offset)) chunks.push(png.toString('ascii', offset + 4, offset + 8));
    expect(chunks).to.deep.equal(['IHDR', 'IDAT', 'IEND']);
    const bytes = png.toString('latin1').toLowerCase();
    for (const word of ['k7pz4x', '<svg', '<path', ' d="']) expect(bytes).to.not.include(word);
    // Dark letters on a light ground: some ink, mostly ground.
    const ink = inkOf(picture).ink.reduce((n, v) => n + v, 0) / (CAPTCHA_WIDTH * CAPTCHA_HEIGHT);
    expect(ink).to.be.within(0.08, 0.45);
  });

  it('keeps every character whole inside the picture, even a line of wide letters', () => {
    for (let i = 0; i < 60; i++) {
      const text = ['MWMWMW', 'WWWWWW', answerFrom(seededRandom([i, 1, 2, 3]))][i % 3];
      const { glyphBoxes } = drawCaptcha(text, { random: seededRandom([i, 9, 9, 9]) });
      expect(glyphBoxes).to.have.length(6);
      for (const box of glyphBoxes) {
        expect(box.minX).to.be.at.least(1);
        expect(box.minY).to.be.at.least(1);
        expect(box.maxX).to.be.at.most(CAPTCHA_WIDTH - 1);
        expect(box.maxY).to.be.at.most(CAPTCHA_HEIGHT - 1);
        // Letters stay large: a capital is at least 26 pixels high whatever it went through.
        expect(box.maxY - box.minY).to.be.at.least(26);
      }
    }
  });

  it('defeats a lookup of the characters’ shapes, which reads upright letters every time', function () {
    // 60 pictures read by brute force: slow on a busy machine.
    this.timeout(240_000);
    // The table holds every character in every face the pictures use.
    const table = shapeTable(CAPTCHA_ALPHABET, CAPTCHA_STYLE.faces);
    const attack = (pictures: number, style?: typeof PLAIN_STYLE) => {
      let answers = 0;
      let characters = 0;
      for (let i = 0; i < pictures; i++) {
        const random = seededRandom([i, 7, 7, 7]);
        const answer = answerFrom(random);
        const readings = readByLookup(captchaPng(answer, { random, ...(style ? { style } : {}) }), CAPTCHA_LENGTH, table);
        if (readings.includes(answer)) answers++;
        characters += Math.max(...readings.map((r) => [...r].filter((ch, k) => ch === answer[k]).length));
      }
      return { answers, characters };
    };
    // The same attack reads upright letters on a plain ground: it is a working reader.
    expect(attack(20, { ...PLAIN_STYLE, faces: CAPTCHA_STYLE.faces }).answers).to.equal(20);
    // On the real pictures it gets fewer than half the characters, so six in a row come out
    // right rarely: over 200 pictures it read one answer. Here: at most one in 40.
    const real = attack(40);
    expect(real.characters, `read ${real.characters} of 240 characters`).to.be.below(120);
    expect(real.answers, `read ${real.answers} of 40 answers`).to.be.at.most(1);
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

  it('makes default answers of 6 characters from an alphabet without look-alikes', () => {
    for (let i = 0; i < 200; i++) {
      const t = randomCaptchaText();
      expect(t).to.have.length(6);
      for (const ch of t) expect(CAPTCHA_ALPHABET).to.include(ch);
    }
    // Characters people mix up: the alphabet keeps at most one of each group.
    const lookAlikes = ['0OoDQ', '1IlLi7JjT', '2Zz', '5Ss', '6Gb', '8B3', '9qgaQ', '4A', 'UuVv', 'PpR', 'EF', 'Xx', 'Kk', 'Cc', 'Ww', 'Mm', 'Nn', 'Yy'];
    for (const group of lookAlikes) expect([...group].filter((ch) => CAPTCHA_ALPHABET.includes(ch)).length, group).to.be.at.most(1);
    expect(new Set(CAPTCHA_ALPHABET).size).to.equal(CAPTCHA_ALPHABET.length);
    expect(CAPTCHA_ALPHABET.length).to.be.at.least(16);
  });
});
