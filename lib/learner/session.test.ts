import { describe, expect, it } from 'vitest';
import {
  createLearnerToken,
  learnerCookieHeader,
  resolveLearner,
  verifyLearnerToken,
} from './session';

const SECRET = 'x'.repeat(40);
const ID = '5b0e3c5e-8f0e-4c7a-9a55-6f8d2b1c0a11';
const NOW = new Date('2026-11-30T10:00:00Z');
const requestWith = (cookie?: string) =>
  new Request('http://127.0.0.1:3000/api/progress', { headers: cookie ? { cookie } : {} });

describe('learner tokens', () => {
  it('round-trips a learner id', () => {
    expect(verifyLearnerToken(createLearnerToken(ID, SECRET, NOW), SECRET, NOW)).toBe(ID);
  });

  it.each([
    ['signed with another secret', createLearnerToken(ID, 'y'.repeat(40), NOW)],
    ['with a tampered id', createLearnerToken(ID, SECRET, NOW).replace(/^5/, '6')],
    ['malformed', 'not-a-token'],
    ['with extra parts', `${createLearnerToken(ID, SECRET, NOW)}.x`],
    ['expired', createLearnerToken(ID, SECRET, new Date('2024-01-01T00:00:00Z'))],
  ])('rejects a token %s', (_case, token) => {
    expect(verifyLearnerToken(token, SECRET, NOW)).toBeUndefined();
  });
});

describe('resolveLearner', () => {
  it('finds the learner in a valid cookie among others', () => {
    const token = createLearnerToken(ID, SECRET, NOW);
    expect(resolveLearner(requestWith(`theme=dark; learner=${token}`), SECRET, NOW)).toEqual({
      learnerId: ID,
      isNew: false,
    });
  });

  it('starts a fresh workspace for a forged or garbled cookie', () => {
    for (const cookie of ['learner=forged.123.abc', 'learner=%E0%A4%A', '']) {
      const session = resolveLearner(requestWith(cookie), SECRET, NOW);
      expect(session.isNew).toBe(true);
      expect(session.learnerId).not.toBe(ID);
    }
  });

  it('issues an httpOnly, SameSite=Lax cookie, Secure only over HTTPS', () => {
    const header = learnerCookieHeader(ID, SECRET, requestWith(), NOW);
    expect(header).toMatch(/^learner=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    expect(learnerCookieHeader(ID, SECRET, new Request('https://course.example/api'), NOW)).toMatch(
      /; Secure$/,
    );
  });
});
