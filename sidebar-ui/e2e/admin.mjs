// Browser tests of the admin pages (#/admin: 客户交接) in headless Chromium (Debian's /usr/bin/chromium through
// playwright-core). Usage: node e2e/admin.mjs <baseURL>. The server is the real guidebox router on MySQL with the
// WeCom simulator in demo mode, the admin API with one demo guide in sidebar.admins, a running handover job, and
// the /test/admin-scenario probe of the Go harness (handler/admin_browser_test.go). Screenshots go to
// $GUIDEBOX_ARTIFACTS (test-artifacts/).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, selectors } from 'playwright-core'

const base = process.argv[2] ?? process.env.GUIDEBOX_URL
if (!base) throw new Error('usage: node e2e/admin.mjs <baseURL>')
const artifacts = process.env.GUIDEBOX_ARTIFACTS ?? 'test-artifacts'
mkdirSync(artifacts, { recursive: true })

selectors.setTestIdAttribute('data-test')

let browser
let sc // the scenario the Go harness set up: admin, non_admin, resigned, case_id, customers, store_mates

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  })
  sc = await (await fetch(base + '/test/admin-scenario')).json()
})

after(async () => {
  await browser?.close()
})

// loginAs signs in as a demo guide through the demo bridge (a session like WeCom OAuth's).
async function loginAs(guide) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
  const page = await ctx.newPage()
  page.setDefaultTimeout(15000)
  const r = await page.request.post(base + '/demo/api/login', { data: { userid: guide } })
  assert.equal(r.status(), 200)
  return page
}

// phone is a fresh 360 px wide page without a session, as on a phone.
async function phone() {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: 'zh-CN' })
  const page = await ctx.newPage()
  page.setDefaultTimeout(15000)
  return page
}

// shot360 screenshots a phone-sized page after checking it does not scroll sideways.
async function shot360(page, name) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(width <= 360, `${name}: no horizontal scrolling at 360 px (scrollWidth ${width})`)
  await page.screenshot({ path: join(artifacts, `admin-${name}-360.png`), fullPage: true })
}

// openAdmin opens /admin, the address people type; it leads to the app's #/admin.
const openAdmin = (page) => page.goto(base + '/admin')

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `admin-${name}.png`), fullPage: true })
}

test('an admin previews a round-robin plan for a resigned guide, executes it and sees progress', async () => {
  const page = await loginAs(sc.admin)
  await openAdmin(page)
  assert.match(page.url(), /\/sidebar\/#\/admin$/)
  const row = page.locator(`[data-case="${sc.case_id}"]`)
  await row.waitFor()
  const cells = await row.locator('td').allInnerTexts()
  assert.deepEqual(cells.slice(0, 5), [`#${sc.case_id}`, '离职继承', sc.resigned, '待执行', '未选择'])
  await shot(page, 'cases')

  await row.click()
  await page.getByTestId('case-status').waitFor()
  assert.equal(await page.getByTestId('case-status').getAttribute('data-status'), 'open')
  assert.match(await page.getByTestId('counts-customer').innerText(), new RegExp(`待分配 ${sc.customers}`))

  await page.getByTestId('strategy').selectOption('round_robin')
  const planned = page.waitForResponse((r) => r.url().endsWith(`/cases/${sc.case_id}/plan`) && r.request().method() === 'PUT')
  await page.getByTestId('preview').click()
  assert.equal((await planned).status(), 200)
  const takers = page.locator('[data-taker]')
  await takers.first().waitFor()
  assert.equal(await takers.count(), sc.store_mates, 'round robin over the store\'s active guides')
  const shares = await takers.evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-customers'))))
  assert.equal(shares.reduce((a, b) => a + b, 0), sc.customers, 'every customer has a taker')
  assert.ok(Math.max(...shares) - Math.min(...shares) <= 1, `even shares: ${shares}`)
  assert.equal(await page.getByTestId('case-status').getAttribute('data-status'), 'open', 'a preview sends nothing')
  await shot(page, 'plan')

  await page.getByTestId('execute').click()
  // The job sends the batches; WeCom (the simulator) takes over after 24 h, so the case waits with every
  // customer accepted. The page polls and shows it.
  await page.locator('[data-test="case-status"][data-status="waiting"]').waitFor({ timeout: 30000 })
  await page.getByTestId('counts-customer').filter({ hasText: new RegExp(`等待接替 ${sc.customers}`) }).waitFor({ timeout: 30000 })
  assert.doesNotMatch(await page.getByTestId('counts-customer').innerText(), /待分配|提交中|失败/)
  assert.equal(await page.getByTestId('preview').count(), 0, 'a running case cannot be replanned')
  await shot(page, 'progress')
  await page.close()
})

test('a guide who is not an admin is refused', async () => {
  const page = await loginAs(sc.non_admin)
  await page.goto(base + '/sidebar/#/')
  await page.getByTestId('empty').waitFor()
  assert.equal(await page.getByTestId('home-admin').count(), 0, 'no admin link for a guide')
  assert.equal(await page.getByTestId('banner-admin').count(), 0)
  const refused = page.waitForResponse((r) => r.url().includes('/api/admin/handover/cases'))
  await openAdmin(page)
  await page.getByTestId('admin-error').waitFor()
  assert.equal((await refused).status(), 403)
  assert.match(await page.getByTestId('admin-error').innerText(), /无权访问：客户交接仅限管理员使用/)
  assert.equal(await page.locator('[data-case]').count(), 0, 'no case is shown')
  assert.equal(await page.locator('form').count(), 0, 'nor the form to open one')
  const r = await page.request.get(`${base}/api/admin/handover/cases/${sc.case_id}`)
  assert.equal(r.status(), 403, 'the API refuses too, not just the page')
  await shot(page, 'forbidden')
  await page.close()
})

test('without a session /admin says why and how to sign in, and the demo picker leads an admin in', async () => {
  const page = await phone()
  await openAdmin(page)
  const note = page.getByTestId('admin-signin')
  await note.waitFor()
  assert.match(page.url(), /\/sidebar\/#\/admin$/, 'stays on the admin page instead of landing on the picker')
  const text = await note.innerText()
  assert.match(text, /管理后台需要登录/)
  assert.match(text, /企业微信/)
  await page.getByTestId('signin-demo').waitFor()
  assert.match(await page.getByTestId('signin-demo').innerText(), new RegExp(`演示管理员 ${sc.admin_name}（${sc.admin}）`))
  assert.equal(await page.locator('[data-case]').count(), 0)
  await shot360(page, 'signin')

  await page.getByTestId('signin-demo-link').click()
  await page.getByTestId('demo-picker').waitFor()
  assert.equal(await page.getByTestId('demo-guide').inputValue(), sc.admin, 'the picker preselects the demo admin')
  await page.getByTestId('demo-open-admin').click()
  await page.locator(`[data-case="${sc.case_id}"]`).waitFor()
  assert.match(page.url(), /\/sidebar\/#\/admin$/)
  await page.screenshot({ path: join(artifacts, 'admin-cases-360.png'), fullPage: true })
  await page.close()
})

test('the demo admin reaches the admin pages from the sidebar home', async () => {
  const page = await phone()
  const r = await page.request.post(base + '/demo/api/login', { data: { userid: sc.admin } })
  assert.equal(r.status(), 200)
  assert.equal((await r.json()).admin, true)
  await page.goto(base + '/sidebar/#/') // no chat chosen: the home, as when the app is opened from the workbench
  await page.getByTestId('home-admin').waitFor()
  assert.equal(await page.getByTestId('banner-admin').count(), 1, 'the demo banner links the admin pages too')
  await shot360(page, 'home')
  await page.getByTestId('home-admin').click()
  await page.locator(`[data-case="${sc.case_id}"]`).waitFor()
  assert.equal(await page.getByTestId('banner-admin').count(), 0, 'no link to where one already is')
  await page.close()
})
