import { describe, expect, it } from 'vitest';
import { attachmentsInHtml, assertDomable } from './extract';
import { linkRules } from './rules';
import { scanHtml } from './scan';

describe('scanHtml', () => {
  it('collects links, the base href and inline scripts, entities decoded', () => {
    const s = scanHtml(
      '<html><head><base href="http://a.gov.cn/c/"><script src="x.js"></script>' +
        '<script type="text/xml"><datastore><record><![CDATA[<a href="/r.html">r</a>]]></record></datastore></script></head>' +
        '<body><a href="list.html?a=1&amp;b=2">x</a><A HREF=\'/y.html\'>y</A><area href="/map.html"><a name="top">t</a></body></html>',
    );
    expect(s.links).toEqual(['list.html?a=1&b=2', '/y.html', '/map.html']);
    expect(s.baseHref).toBe('http://a.gov.cn/c/');
    expect(s.scripts).toHaveLength(1);
    expect(s.scripts[0]!.type).toBe('text/xml');
    expect(s.scripts[0]!.text).toContain('<record><![CDATA[<a href="/r.html">');
  });

  it('counts depth as a browser nests: unclosed paragraphs and list items do not pile up', () => {
    const flat = '<body>' + '<p>段落'.repeat(5000) + '<ul>' + '<li>条目'.repeat(5000) + '</ul></body>';
    expect(scanHtml(flat).maxDepth).toBeLessThan(10);
    const deep = '<div>'.repeat(3000) + '</div>'.repeat(3000);
    expect(scanHtml(deep).maxDepth).toBe(3000);
  });

  it('reads a page of 200,000 nested divs in one pass and finds the link at the bottom', () => {
    const n = 200_000;
    const html = `<html><body>${'<div>'.repeat(n)}<a href="/files/gongbao.pdf">公报</a>${'</div>'.repeat(n)}</body></html>`;
    const rules = linkRules({
      startUrls: [{ url: 'http://a.gov.cn/', kind: 'list' }],
      links: { allow: [], deny: [] },
    });
    expect(attachmentsInHtml(html, 'http://a.gov.cn/art/1.html', rules)).toEqual([
      'http://a.gov.cn/files/gongbao.pdf',
    ]);
    const s = scanHtml(html);
    expect(s.maxDepth).toBe(n + 3); // html, body, the divs, the link
    // Too deep for a DOM: a selector cannot be applied, and the error says why.
    expect(() => assertDomable(s, 'http://a.gov.cn/list.html')).toThrow(/nest 200003 deep \(> 2000\)/);
  });

  it('skips the attachment scan only when no attachment can be linked', () => {
    const rules = linkRules({
      startUrls: [{ url: 'http://a.gov.cn/', kind: 'list' }],
      links: { allow: [], deny: [] },
    });
    const plain =
      '<html><body><p>document.write 政府工作报告 pdf 下载</p><a href="/art/2.html">下一篇</a></body></html>';
    expect(attachmentsInHtml(plain, 'http://a.gov.cn/art/1.html', rules)).toEqual([]);
    // An entity-encoded dot still reaches the scan, which decodes it.
    const encoded = '<a href="/files/report&#46;pdf">报告</a><a href="/files/B.DOCX?v=2">附件</a>';
    expect(attachmentsInHtml(encoded, 'http://a.gov.cn/art/1.html', rules)).toEqual([
      'http://a.gov.cn/files/report.pdf',
      'http://a.gov.cn/files/B.DOCX?v=2',
    ]);
  });

  it('stops at its element budget and says so', () => {
    const s = scanHtml('<i>x</i>'.repeat(100) + '<a href="/late.html">late</a>', { maxElements: 50 });
    expect(s.truncated).toBe(true);
    expect(s.links).toEqual([]);
  });
});
