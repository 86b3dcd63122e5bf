import { describe, expect, it } from 'vitest';
import { parseSourcesYaml, SourcesFileError } from './source-config';

const good = `
sources:
  - id: zj-gov-news
    name: 浙江省人民政府 要闻
    startUrls:
      - https://www.zj.gov.cn/col/col1554467/index.html
      - { url: https://www.zj.gov.cn/rss.xml, kind: feed }
    links:
      selector: ".news-list a"
      deny: ["\\\\.pdf$"]
    pagination: { nextSelector: "a.next", maxPages: 3 }
    schedule: { cron: "0 7 * * *" }
    politeness: { minIntervalMs: 5000, maxInFlight: 1 }
    charset: gbk
`;

function problemsOf(yaml: string): string[] {
  try {
    parseSourcesYaml(yaml, 'sources.yaml');
  } catch (err) {
    if (err instanceof SourcesFileError) return err.problems;
    throw err;
  }
  throw new Error('expected a SourcesFileError');
}

describe('parseSourcesYaml', () => {
  it('reads a full entry and applies defaults', () => {
    const [s] = parseSourcesYaml(good);
    expect(s).toMatchObject({
      id: 'zj-gov-news',
      enabled: true,
      startUrls: [
        { url: 'https://www.zj.gov.cn/col/col1554467/index.html', kind: 'list' },
        { url: 'https://www.zj.gov.cn/rss.xml', kind: 'feed' },
      ],
      links: { selector: '.news-list a', allow: [], deny: ['\\.pdf$'] },
      pagination: { nextSelector: 'a.next', maxPages: 3 },
      schedule: { cron: '0 7 * * *', timezone: 'Asia/Shanghai' },
      politeness: { minIntervalMs: 5000, maxInFlight: 1 },
      maxPagesPerRun: 500,
      charset: 'gbk',
    });
  });

  it('reports one message per bad entry, naming the entry and the field', () => {
    const problems = problemsOf(`
sources:
  - id: ok-one
    name: fine
    startUrls: [http://a.cn/]
  - id: bad-url
    name: x
    startUrls: [ftp://a.cn/]
  - name: no id
    startUrls: [http://a.cn/]
  - id: bad-cron
    name: y
    startUrls: [http://a.cn/]
    schedule: { cron: "every day", timezone: Mars/Olympus }
    politness: {}
`);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^source "bad-url": startUrls\.0/);
    expect(problems[1]).toMatch(/^source #3: id:/);
    expect(problems[2]).toMatch(/^source "bad-cron": /);
    expect(problems[2]).toMatch(/schedule\.cron: must be a cron expression/);
    expect(problems[2]).toMatch(/schedule\.timezone: unknown IANA time zone/);
    expect(problems[2]).toMatch(/unknown field\(s\) politness/);
  });

  it('rejects duplicate ids, bad regexes and unknown charsets', () => {
    const problems = problemsOf(`
sources:
  - { id: a, name: A, startUrls: [http://a.cn/] }
  - { id: a, name: A2, startUrls: [http://a.cn/] }
  - { id: b, name: B, startUrls: [http://b.cn/], links: { allow: ["("] }, charset: klingon }
`);
    expect(problems).toEqual([
      'source "a": id: duplicate of source #1',
      expect.stringMatching(
        /^source "b": links\.allow\.0: not a valid regular expression; charset: unknown charset$/,
      ),
    ]);
  });

  it('names YAML syntax errors and a missing top level', () => {
    expect(problemsOf('sources: [')[0]).toMatch(/^YAML: /);
    expect(problemsOf('foo: 1')[0]).toMatch(/expected `sources:`/);
  });
});
