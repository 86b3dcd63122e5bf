import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readListPage } from './extract';
import { linkRules } from './rules';
import { scanHtml } from './scan';
import { readTrsPager, trsNextPage } from './trs';

const page = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const classic = page('trs-list-index.html');
const classicUrl = 'http://fgw.example.gov.cn/xwzx/gzdt/index.html';

describe('a TRS WCM list page with the classic pager (page 1 of 4)', () => {
  const pager = readTrsPager(scanHtml(classic).scripts)!;

  it('reads the pager from the variables the call names', () => {
    expect(pager).toEqual({ count: 4, current: 0, name: 'index', ext: 'html', oneBased: false });
    expect(trsNextPage(pager, classicUrl)).toBe('http://fgw.example.gov.cn/xwzx/gzdt/index_1.html');
  });

  it('is read as a TRS list: relative links resolved, the next page queued', () => {
    const rules = linkRules({
      startUrls: [{ url: classicUrl, kind: 'list' }],
      links: { allow: ['/\\d{6}/t\\d{8}_\\d+\\.html$'], deny: [] },
    });
    const r = readListPage(classic, { baseUrl: classicUrl, rules, maxLinks: 500 });
    expect(r.family).toBe('trs');
    expect(r.articles).toHaveLength(20);
    expect(r.articles[0]).toBe('http://fgw.example.gov.cn/xwzx/gzdt/202405/t20240520_4512300.html');
    expect(r.articles[19]).toBe('http://fgw.example.gov.cn/xwzx/gzdt/202405/t20240516_4512319.html');
    expect(r.next).toEqual([{ kind: 'list', url: 'http://fgw.example.gov.cn/xwzx/gzdt/index_1.html' }]);
  });

  it('stops on the last page, and reads literal arguments', () => {
    const last = classic.replace('var currentPage = 0;', 'var currentPage = 3;');
    const p = readTrsPager(scanHtml(last).scripts)!;
    expect(p.current).toBe(3);
    expect(trsNextPage(p, 'http://fgw.example.gov.cn/xwzx/gzdt/index_3.html')).toBeUndefined();
    const literal = '<script>createPageHTML(100000, 41, "index", "shtml");</script>';
    const q = readTrsPager(scanHtml(literal).scripts)!;
    expect(trsNextPage(q, 'http://a.gov.cn/c/index_41.shtml')).toBe('http://a.gov.cn/c/index_42.shtml');
  });

  it('skips the pager function definition and refuses names that are not file names', () => {
    const defined =
      '<script>function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){ }</script>' +
      '<script>createPageHTML(3, 1, "index", "html");</script>';
    expect(readTrsPager(scanHtml(defined).scripts)).toMatchObject({ count: 3, current: 1 });
    const evil = '<script>createPageHTML(3, 0, "../../admin/x", "html");</script>';
    expect(readTrsPager(scanHtml(evil).scripts)).toBeUndefined();
  });
});

describe("a TRS page with the newer 'page_div' pager (pages counted from 1)", () => {
  it('takes page 3 of dezlist to dezlist_4.shtml', () => {
    const p = readTrsPager(scanHtml(page('trs-dezlist-3.html')).scripts)!;
    expect(p).toEqual({ count: 10, current: 3, name: 'dezlist', ext: 'shtml', oneBased: true });
    expect(trsNextPage(p, 'https://zjt.example.gov.cn/szjt/dejgxx/dezlist_3.shtml')).toBe(
      'https://zjt.example.gov.cn/szjt/dejgxx/dezlist_4.shtml',
    );
    expect(
      trsNextPage({ ...p, current: 10 }, 'https://zjt.example.gov.cn/szjt/dejgxx/dezlist_10.shtml'),
    ).toBeUndefined();
  });
});
