/**
 * The peer `pnpm bench:crawl` compares the crawler with: Crawlee's CheerioCrawler on the same local
 * site (a sitemap of N articles), politeness off, in a process of its own so its peak RSS is its
 * own. Prints one JSON line ({ pages, seconds }) and stays alive until stdin closes, so the parent
 * can read its VmHWM first.
 */
import { CheerioCrawler, Configuration, log } from 'crawlee';

const sitemapUrl = process.argv[2]!;
const concurrency = Number(process.argv[3] ?? 32);
log.setLevel(log.LEVELS.OFF);

let pages = 0;
const crawler = new CheerioCrawler(
  {
    minConcurrency: concurrency,
    maxConcurrency: concurrency,
    maxRequestRetries: 1,
    additionalMimeTypes: ['application/xml', 'text/xml'],
    async requestHandler({ request, $ }) {
      if (request.url.endsWith('/sitemap.xml')) {
        const urls = $('loc')
          .map((_, el) => $(el).text())
          .get();
        await crawler.addRequests(urls);
        return;
      }
      // A scraper reads something from the page; Crawlee has already parsed it with cheerio.
      if ($('h1').text().length > 0) pages++;
    },
  },
  new Configuration({ persistStorage: false, purgeOnStart: true }),
);

const t0 = performance.now();
await crawler.run([sitemapUrl]);
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ pages, seconds }));
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
