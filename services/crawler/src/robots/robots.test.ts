import { describe, expect, it } from 'vitest';
import { RobotsPolicy, robotsRecordFromResponse } from './robots';

const origin = 'http://www.zj.gov.cn';
const text = `# 浙江省人民政府门户网站
User-agent: *
Disallow: /module/
Disallow: /search/
Allow: /module/download/public/
Crawl-delay: 5

User-agent: BadBot
Disallow: /

Sitemap: http://www.zj.gov.cn/sitemap.xml
`;

describe('RobotsPolicy', () => {
  const policy = new RobotsPolicy(origin, robotsRecordFromResponse(200, text));

  it('applies Disallow and the longer Allow', () => {
    expect(policy.check(`${origin}/art/2024/1/2/art_1.html`)).toEqual({ allowed: true, crawlDelayS: 5 });
    expect(policy.check(`${origin}/module/xxgk/search.jsp`)).toMatchObject({
      allowed: false,
      reason: 'disallowed',
    });
    expect(policy.check(`${origin}/module/download/public/a.html`).allowed).toBe(true);
  });

  it('a group naming govwire overrides the * group', () => {
    const own = new RobotsPolicy(
      origin,
      robotsRecordFromResponse(200, 'User-agent: *\nDisallow: /\n\nUser-agent: govwire\nAllow: /\n'),
    );
    expect(own.check(`${origin}/a.html`).allowed).toBe(true);
  });

  it('4xx allows all, 5xx disallows all (RFC 9309)', () => {
    expect(new RobotsPolicy(origin, robotsRecordFromResponse(404, '')).check(`${origin}/x`).allowed).toBe(
      true,
    );
    expect(new RobotsPolicy(origin, robotsRecordFromResponse(403, '')).check(`${origin}/x`).allowed).toBe(
      true,
    );
    expect(new RobotsPolicy(origin, robotsRecordFromResponse(503, '')).check(`${origin}/x`)).toMatchObject({
      allowed: false,
      reason: 'unavailable',
    });
  });
});
