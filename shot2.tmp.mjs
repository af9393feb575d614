import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync'] });
const [,, path, prefix, width = '1280', scheme = 'light'] = process.argv;
const page = await browser.newPage({ viewport: { width: Number(width), height: 1400 }, colorScheme: scheme });
page.on('response', r => r.status() >= 400 && console.log('HTTP', r.status(), r.url()));
await page.goto('http://127.0.0.1:3100' + path, { waitUntil: 'networkidle' });
const h = await page.evaluate(() => document.documentElement.scrollHeight);
for (let y = 0, i = 0; y < h && i < 8; y += 1400, i++) { await page.evaluate((y) => window.scrollTo(0, y), y); await page.waitForTimeout(150); await page.screenshot({ path: `${prefix}${i}.png` }); }
console.log('height', h);
await browser.close();
