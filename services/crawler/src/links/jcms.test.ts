import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '@govwire/shared';
import { readListPage } from './extract';
import { followingRequest, proxyTarget, readJcmsAnswer, readJcmsColumn } from './jcms';
import { linkRules } from './rules';
import { scanHtml } from './scan';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const zjUrl = 'https://www.zj.gov.cn/col/col1554467/index.html';
const kqUrl = 'http://www.kq.gov.cn/col/col1229135412/index.html';
const zjPage = fixture('jcms-zj-column.html').toString('utf8');
// The district page is GBK and declares gb2312, as these portals do.
const kqPage = decodeBytes(fixture('jcms-kq-column-gbk.html'), { contentType: 'text/html' }).text;

describe('a JCMS column page (zj.gov.cn template, 45 of 1234 records embedded)', () => {
  const col = readJcmsColumn(scanHtml(zjPage), zjUrl)!;

  it('reads every embedded record, whatever the attribute order, quotes or line breaks', () => {
    expect(col.records).toBe(45);
    expect(col.links).toHaveLength(45);
    // Record i links art_1554467_<60212345 - 7i>, dated May 20 - i/3 (the fixture's construction).
    expect(col.links[0]).toBe('https://www.zj.gov.cn/art/2024/5/20/art_1554467_60212345.html');
    expect(col.links[3]).toBe('https://www.zj.gov.cn/art/2024/5/19/art_1554467_60212324.html');
    expect(col.links[44]).toBe('https://www.zj.gov.cn/art/2024/5/6/art_1554467_60212037.html');
    expect(col.unusable).toBe(0);
  });

  it('asks the dataproxy for the next group of 3 × 15 records, POSTing the pager form', () => {
    const next = col.next!;
    expect(next.pager).toMatchObject({ start: 46, end: 90, perPage: 15, total: 1234, columnUrl: zjUrl });
    expect(proxyTarget(next.url, next.form)).toBe(
      'https://www.zj.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15',
    );
    const form = new URLSearchParams(next.form);
    expect([...form.keys()]).toEqual([
      'col',
      'appid',
      'webid',
      'path',
      'columnid',
      'sourceContentType',
      'unitid',
      'webname',
      'permissiontype',
    ]);
    expect(form.get('columnid')).toBe('1554467');
    expect(form.get('unitid')).toBe('4797932');
    expect(form.get('webname')).toBe('浙江省人民政府');
    // Its URL names the column too, so two columns sharing one proxy never share a key.
    expect(new URL(next.url).searchParams.get('columnid')).toBe('1554467');
  });

  it('is read as a JCMS list: the records, not the sidebar or navigation links', () => {
    const rules = linkRules({
      startUrls: [{ url: zjUrl, kind: 'list' }],
      links: { allow: ['^https://www\\.zj\\.gov\\.cn/art/\\d{4}/'], deny: [] },
    });
    const r = readListPage(zjPage, { baseUrl: zjUrl, rules, maxLinks: 500 });
    expect(r.family).toBe('jcms');
    expect(r.articles).toHaveLength(45);
    expect(r.articles).not.toContain('https://www.zj.gov.cn/art/2024/4/1/art_1229780001_1.html');
    expect(r.next).toEqual([expect.objectContaining({ kind: 'dataproxy', url: col.next!.url })]);
  });
});

describe('an older JCMS district column (GBK, unquoted attributes, junk records)', () => {
  const col = readJcmsColumn(scanHtml(kqPage), kqUrl)!;

  it('keeps the readable records and counts the unusable one', () => {
    expect(col.records).toBe(20);
    // Record 5 is a javascript: link; record 9 has a stray `style=<br/>` but its link survives.
    expect(col.unusable).toBe(1);
    expect(col.links).toHaveLength(19);
    expect(col.links).toContain('/art/2023/3/19/art_1229135412_59012228.html');
    expect(col.links).toContain('./../../art/2023/3/16/art_1229135412_59012189.html');
    expect(col.links.some((l) => l.startsWith('javascript:'))).toBe(false);
  });

  it('reads the jpage options written one per line with quoted keys', () => {
    const next = col.next!;
    expect(next.pager).toMatchObject({ start: 21, end: 40, perPage: 20, total: 95 });
    expect(proxyTarget(next.url, next.form)).toBe(
      'http://www.kq.gov.cn/module/jpage/dataproxy.jsp?startrecord=21&endrecord=40&perpage=20',
    );
    expect(new URLSearchParams(next.form).get('webname')).toBe('绍兴市柯桥区人民政府');
  });

  it('resolves relative record links against the column page', () => {
    const rules = linkRules({
      startUrls: [{ url: kqUrl, kind: 'list' }],
      links: { allow: ['/art/\\d{4}/\\d{1,2}/\\d{1,2}/art_'], deny: [] },
    });
    const r = readListPage(kqPage, { baseUrl: kqUrl, rules, maxLinks: 500 });
    expect(r.articles).toHaveLength(19);
    expect(r.articles).toContain('http://www.kq.gov.cn/art/2023/3/16/art_1229135412_59012189.html');
    // Tracking parameters of record 15 are dropped by normalization.
    expect(r.articles).toContain('http://www.kq.gov.cn/art/2023/3/13/art_1229135412_59012150.html');
    expect(r.notes.join(' ')).toMatch(/1 record\(s\) without a usable link/);
  });
});

describe('dataproxy answers', () => {
  it('reads a datastore answer: its records and the column total', () => {
    const a = readJcmsAnswer(fixture('jcms-zj-dataproxy.xml').toString('utf8'));
    expect(a.problem).toBeUndefined();
    expect(a.records).toBe(45);
    expect(a.totalRecord).toBe(1234);
    expect(a.links[0]).toBe('https://www.zj.gov.cn/art/2024/5/4/art_1554467_60212030.html');
  });

  it('names what is wrong with an answer that is not a datastore', () => {
    expect(readJcmsAnswer('').problem).toBe('empty answer');
    expect(readJcmsAnswer('<!DOCTYPE html><html><body><h1>系统繁忙</h1></body></html>').problem).toBe(
      'answered an HTML page, not a datastore',
    );
    const cut = readJcmsAnswer(
      '<datastore><totalrecord>95</totalrecord><recordset><record><![CDATA[<li><a href="/art/1.html">一</a></li>]]></record><record><![CDATA[<li><a href="/art/2.ht',
    );
    expect(cut.problem).toBe('malformed datastore (not closed)');
    expect(cut.links).toEqual(['/art/1.html']); // what could be read is kept
  });

  it('bounds nothing itself: a total of 10^9 only says more ranges exist', () => {
    const huge = readJcmsAnswer(
      '<datastore><totalrecord>1000000000</totalrecord><recordset><record><![CDATA[<a href="/art/9.html">九</a>]]></record></recordset></datastore>',
    );
    expect(huge.totalRecord).toBe(1e9);
    const pager = {
      family: 'jcms' as const,
      columnUrl: kqUrl,
      start: 21,
      end: 40,
      perPage: 20,
      total: 95,
      badInRow: 0,
    };
    const next = followingRequest(
      `${new URL(kqUrl).origin}/module/jpage/dataproxy.jsp`,
      'columnid=1',
      pager,
      {
        total: huge.totalRecord,
      },
    )!;
    expect(next.pager).toMatchObject({ start: 41, end: 60, total: 1e9 });
    // The last range is cut at the total, and nothing follows it.
    const last = followingRequest(
      'http://x/dataproxy.jsp',
      'a=1',
      { ...pager, start: 81, end: 100 },
      { total: 95 },
    );
    expect(last).toBeUndefined();
  });
});
