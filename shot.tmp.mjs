import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync'] });
const [,, path, file, width = '1280', scheme = 'light'] = process.argv;
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 }, colorScheme: scheme });
page.on('console', m => m.type() === 'error' && console.log('console:', m.text()));
await page.goto('http://127.0.0.1:3100' + path, { waitUntil: 'networkidle' });
await page.screenshot({ path: file, fullPage: process.env.FULL === '1' });
console.log('scrollWidth', await page.evaluate(() => document.documentElement.scrollWidth));
await browser.close();
