// Browser tests of the admin console (/admin/: Element Plus, served by the binary) in headless Chromium
// (Debian's /usr/bin/chromium through playwright-core) at 1280 × 800 and 360 × 780. Usage: node e2e/admin.mjs
// <baseURL>. The server is the real guidebox router on MySQL with the WeCom simulator in demo mode: the
// console's API with one demo guide in sidebar.admins and each store's 店长 managing it (WeCom department
// leadership), a running handover job, and the /test/admin-scenario probe of the Go harness
// (handler/admin_browser_test.go). Screenshots go to $GUIDEBOX_ARTIFACTS (test-artifacts/), console-*.png.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, selectors } from 'playwright-core'

const base = process.argv[2] ?? process.env.GUIDEBOX_URL
if (!base) throw new Error('usage: node e2e/admin.mjs <baseURL>')
const artifacts = process.env.GUIDEBOX_ARTIFACTS ?? 'test-artifacts'
mkdirSync(artifacts, { recursive: true })

selectors.setTestIdAttribute('data-test')

const desktop = { width: 1280, height: 800 }
const phone = { width: 360, height: 780 }

let browser
let sc // the scenario the Go harness set up (handler/admin_browser_test.go's adminScenario)

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

// open is a fresh page of the given size; with a guide, signed in through the demo bridge (a session like
// WeCom OAuth's).
async function open(viewport, guide) {
  const ctx = await browser.newContext({ viewport, deviceScaleFactor: viewport === phone ? 2 : 1, locale: 'zh-CN', acceptDownloads: true })
  const page = await ctx.newPage()
  page.setDefaultTimeout(15000)
  page.on('pageerror', (e) => console.error(`page error (${viewport.width} px): ${e.message}`))
  if (guide) {
    const r = await page.request.post(base + '/demo/api/login', { data: { userid: guide } })
    assert.equal(r.status(), 200)
  }
  return page
}

// shot checks the page does not scroll sideways (tables scroll inside their cards) and keeps a screenshot
// of the whole page (of the viewport only with a dialog open).
async function shot(page, name, fullPage = true) {
  const { width } = page.viewportSize()
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(scroll <= width, `${name}: no horizontal scrolling at ${width} px (scrollWidth ${scroll})`)
  await page.evaluate(() => Promise.all(document.getAnimations() // let dialogs and tags finish fading in
    .filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => {}))))
  await page.screenshot({ path: join(artifacts, `console-${name}-${width}.png`), fullPage })
}

// menu goes to a page by the side menu, or on a phone by the drawer the header's button opens.
async function menu(page, title) {
  if (page.viewportSize().width < 768) {
    assert.equal(await page.getByTestId('menu').isVisible(), false, 'the side menu collapses on a phone')
    await page.getByTestId('menu-toggle').click()
    await page.getByTestId('menu-drawer').getByText(title, { exact: true }).click()
    await page.getByTestId('menu-drawer').waitFor({ state: 'hidden' })
  } else {
    await page.getByTestId('menu').getByText(title, { exact: true }).click()
  }
}

// download clicks an export of the page and returns the file's name and bytes.
async function download(page, format) {
  await page.getByTestId('export').last().click()
  const dl = page.waitForEvent('download')
  await page.getByTestId(`export-${format}`).last().click()
  const d = await dl
  const path = join(artifacts, `console-${d.suggestedFilename()}`)
  await d.saveAs(path)
  return { name: d.suggestedFilename(), body: readFileSync(path) }
}

// executeWithConfirmation clicks 执行交接, refuses the confirmation once (nothing is sent), then confirms.
async function executeWithConfirmation(page, text, name) {
  let executes = 0
  page.on('request', (r) => r.url().endsWith('/execute') && executes++)
  await page.getByTestId('execute').click()
  const box = page.locator('.confirm-execute')
  await box.waitFor()
  assert.match(await box.innerText(), text)
  await shot(page, name + '-confirm', false)
  await box.getByRole('button', { name: '再想想' }).click()
  await box.waitFor({ state: 'hidden' })
  assert.equal(executes, 0, 'refusing the confirmation sends nothing')
  assert.equal(await page.getByTestId('case-status').getAttribute('data-status'), 'open')
  await page.getByTestId('execute').click()
  await box.waitFor()
  await box.getByRole('button', { name: '确定执行' }).click()
  await page.locator('[data-test="case-status"]:not([data-status="open"])').waitFor()
  assert.equal(executes, 1)
}

test('desktop: the admin drills from 离职待分配 into the case, previews, exports, and executes through the confirmation', async () => {
  const page = await open(desktop, sc.admin)
  await page.goto(base + '/admin')
  assert.match(page.url(), /\/admin\/$/)
  await page.getByTestId('home').waitFor()
  assert.match(await page.getByTestId('who').innerText(), new RegExp(`${sc.admin_name}[\\s\\S]*企业管理员[\\s\\S]*全部门店`))
  await page.locator('[data-stat="离职待分配"]').filter({ hasText: /\b1\b/ }).waitFor()
  await shot(page, 'home')

  await menu(page, '离职继承')
  const gone = page.getByTestId('departed').locator('tr', { hasText: sc.resigned_name })
  await gone.waitFor()
  assert.match(await gone.innerText(), new RegExp(sc.store), 'the guide by name with their store')
  assert.doesNotMatch(await gone.innerText(), new RegExp(sc.resigned), 'no userid on the page, only on hover')
  assert.equal(await page.locator(`[data-departed-customers="${sc.resigned}"]`).innerText(), String(sc.customers))
  await shot(page, 'departed')
  await page.getByRole('tab', { name: '交接单' }).click()
  const row = page.getByTestId('cases').locator('tr', { has: page.locator(`[data-case="${sc.case_id}"]`) })
  await row.waitFor()
  assert.match(await row.innerText(), new RegExp(`${sc.resigned_name}[\\s\\S]*${sc.store}[\\s\\S]*待执行`))
  await shot(page, 'cases')

  await row.click()
  await page.getByTestId('case-status').waitFor()
  assert.equal(await page.getByTestId('case-status').getAttribute('data-status'), 'open')
  assert.match(await page.getByTestId('counts-customer').innerText(), new RegExp(`待分配 ${sc.customers}`))
  const planned = page.waitForResponse((r) => r.url().endsWith(`/cases/${sc.case_id}/plan`) && r.request().method() === 'PUT')
  await page.getByTestId('preview').click()
  assert.equal((await planned).status(), 200)
  const takers = page.locator('[data-taker]')
  await takers.first().waitFor()
  assert.equal(await takers.count(), sc.store_mates, "round robin over the store's active guides")
  const shares = await takers.evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-customers'))))
  assert.equal(shares.reduce((a, b) => a + b, 0), sc.customers, 'every customer has a taker')
  assert.ok(Math.max(...shares) - Math.min(...shares) <= 1, `even shares: ${shares}`)
  assert.match(await takers.first().innerText(), new RegExp(sc.store), 'takers by name and store')
  await shot(page, 'plan')

  const xlsx = await download(page, 'xlsx')
  assert.match(xlsx.name, new RegExp(`^handover-case-${sc.case_id}-\\d{8}-\\d{4}\\.xlsx$`))
  assert.equal(xlsx.body.subarray(0, 2).toString(), 'PK', 'an XLSX (zip) file')
  const csv = await download(page, 'csv')
  assert.deepEqual([...csv.body.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'CSV with a UTF-8 BOM')
  const lines = csv.body.toString('utf8').trim().split('\n')
  assert.equal(lines.length, sc.customers + 1, 'every customer and the header')
  assert.match(lines[0], /客户或群/)

  await executeWithConfirmation(page, new RegExp(`将把 ${sc.customers} 位客户和 0 个群转给 .+等 ${sc.store_mates} 位导购，确定执行？`), 'resigned')
  // The job sends the batches; WeCom (the simulator) takes over after 24 h, so the case waits with every
  // customer accepted. The page polls and shows it.
  await page.locator('[data-test="case-status"][data-status="waiting"]').waitFor({ timeout: 30000 })
  await page.getByTestId('counts-customer').filter({ hasText: new RegExp(`等待接替 ${sc.customers}`) }).waitFor({ timeout: 30000 })
  assert.equal(await page.getByTestId('preview').count(), 0, 'a running case cannot be replanned')
  await shot(page, 'progress')

  await menu(page, '操作日志')
  await page.getByTestId('audit').locator('[data-action="execute"]').first().waitFor()
  assert.match(await page.getByTestId('audit').innerText(), new RegExp(`${sc.admin_name}[\\s\\S]*执行交接[\\s\\S]*交接单 #${sc.case_id}`))
  await shot(page, 'audit')
  await page.context().close()
})

test('phone: the admin moves chosen customers with the member and customer pickers, through the confirmation', async () => {
  const page = await open(phone, sc.admin)
  await page.goto(base + '/admin/')
  await page.getByTestId('home').waitFor()
  await shot(page, 'home')
  await menu(page, '在职转接')
  await page.getByTestId('onjob-new').click()
  const dialog = page.getByTestId('onjob-dialog')
  await dialog.waitFor()
  await page.getByTestId('pick-from').locator('input').pressSequentially(sc.move_from, { delay: 30 })
  await page.locator(`.el-select-dropdown__item[data-option="${sc.move_from_id}"]:visible`).click()
  const picks = page.locator('[data-pick]')
  await picks.first().waitFor()
  await picks.nth(0).click()
  await picks.nth(1).click()
  assert.equal(await page.getByTestId('customer-selected').innerText(), '2')
  const options = page.locator('.el-select-dropdown__item:visible')
  for (let i = 0; (await options.count()) !== 0; i++) {
    assert.ok(i < 50, "the first picker's list closes")
    await page.waitForTimeout(100)
  }
  await page.getByTestId('pick-to').locator('input').pressSequentially(sc.move_to, { delay: 30 })
  for (let i = 0; (await options.count()) !== 1 || !(await options.innerText()).includes(sc.move_to); i++) {
    assert.ok(i < 50, 'the member picker narrows to the taker')
    await page.waitForTimeout(100)
  }
  assert.match(await options.innerText(), new RegExp(`${sc.move_to}[\\s\\S]*${sc.store}`), 'the member picker finds the taker by name, with their store')
  await page.locator(`.el-select-dropdown__item[data-option="${sc.move_to_id}"]:visible`).click()
  await shot(page, 'onjob-new')
  await page.getByTestId('onjob-create').click()
  await page.waitForURL(/\/admin\/cases\/\d+/)
  const taker = page.locator(`[data-taker="${sc.move_to_id}"]`)
  await taker.waitFor()
  assert.equal(await taker.getAttribute('data-customers'), '2')
  await page.getByTestId('plan').getByText(`${sc.move_to}（${sc.store}）`).waitFor()
  assert.doesNotMatch(await page.getByTestId('plan').innerText(), new RegExp(sc.move_to_id), 'the plan names its taker')
  await shot(page, 'onjob-case')
  await executeWithConfirmation(page, new RegExp(`将把 2 位客户和 0 个群转给 ${sc.move_to}（${sc.store}），确定执行？`), 'onjob')
  await page.context().close()
})

test('phone: a drill-down and an export at 360 px, the menu in a drawer and the tables scrolling in their cards', async () => {
  const page = await open(phone, sc.admin)
  await page.goto(base + '/admin/')
  await menu(page, '离职继承')
  await page.getByTestId('departed').locator('tr', { hasText: sc.resigned_name }).waitFor()
  await shot(page, 'departed')
  await page.getByRole('tab', { name: '交接单' }).click()
  await page.locator(`[data-case="${sc.case_id}"]`).click()
  await page.getByTestId('case-status').waitFor()
  await page.locator('[data-taker]').first().waitFor()
  const items = page.getByTestId('items').locator('.el-scrollbar__wrap').first()
  const { sw, cw } = await items.evaluate((el) => ({ sw: el.scrollWidth, cw: el.clientWidth }))
  assert.ok(sw > cw, `the items table scrolls sideways inside its card (${sw} > ${cw})`)
  await shot(page, 'case')
  const csv = await download(page, 'csv')
  assert.match(csv.name, new RegExp(`^handover-case-${sc.case_id}-.*\\.csv$`))
  await page.context().close()
})

test('a store manager sees only their store, and another store\'s case is refused', async () => {
  const page = await open(desktop, sc.manager)
  await page.goto(base + '/admin/')
  assert.match(await page.getByTestId('who').innerText(), new RegExp(`${sc.manager_name}[\\s\\S]*店长[\\s\\S]*${sc.manager_store}`))
  await menu(page, '在职转接')
  await page.locator(`[data-case="${sc.manager_case}"]`).waitFor()
  assert.match(await page.getByTestId('cases').innerText(), new RegExp(sc.manager_store))
  assert.doesNotMatch(await page.getByTestId('cases').innerText(), new RegExp(sc.store), 'no case of another store')
  await shot(page, 'manager')
  await menu(page, '离职继承')
  await page.getByTestId('departed').locator('.el-table__empty-text').waitFor()
  assert.equal(await page.getByTestId('reconcile').count(), 0, 'a corp-wide sweep is for corp admins')
  const refused = page.waitForResponse((r) => r.url().endsWith(`/api/admin/handover/cases/${sc.case_id}/plan`))
  await page.goto(`${base}/admin/cases/${sc.case_id}`)
  assert.equal((await refused).status(), 403)
  await page.getByTestId('case-error').filter({ hasText: '无权访问' }).waitFor()
  await shot(page, 'manager-refused')
  await page.context().close()
})

test('a guide who is neither an admin nor a store manager is refused', async () => {
  const page = await open(desktop, sc.non_admin)
  await page.goto(base + '/sidebar/#/')
  await page.getByTestId('home').waitFor()
  assert.equal(await page.getByTestId('home-admin').count(), 0, 'no console link for a guide')
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/admin/me'))
  await page.goto(base + '/admin')
  assert.equal((await refused).status(), 403)
  await page.getByTestId('console-refused').waitFor()
  assert.equal(await page.locator('[data-case]').count(), 0)
  const r = await page.request.get(`${base}/api/admin/handover/cases/${sc.case_id}`)
  assert.equal(r.status(), 403, 'the API refuses too, not just the page')
  await shot(page, 'forbidden')
  await page.context().close()
})

test('without a session /admin says why and how to sign in, and the demo picker leads an admin in', async () => {
  const page = await open(phone)
  await page.goto(base + '/admin')
  const note = page.getByTestId('admin-signin')
  await note.waitFor()
  assert.match(page.url(), /\/admin\/$/, 'stays on the console instead of landing on the picker')
  assert.match(await note.innerText(), /管理后台需要登录[\s\S]*企业微信/)
  await page.getByTestId('signin-demo').waitFor()
  assert.match(await page.getByTestId('signin-demo').innerText(), new RegExp(`演示管理员 ${sc.admin_name}（${sc.admin}）`))
  assert.match(await page.getByTestId('signin-demo').innerText(), new RegExp(`店长.*${sc.manager_name}（${sc.manager}）`))
  await shot(page, 'signin')
  await page.getByTestId('signin-demo-link').click()
  await page.getByTestId('demo-picker').waitFor()
  assert.equal(await page.getByTestId('demo-guide').inputValue(), sc.admin, 'the picker preselects the demo admin')
  await page.getByTestId('demo-open-admin').click()
  await page.waitForURL(/\/admin\/$/)
  await page.getByTestId('home').waitFor()
  await page.context().close()
})

test('the demo admin and a store manager reach the console from the sidebar home', async () => {
  for (const guide of [sc.admin, sc.manager]) {
    const page = await open(phone, guide)
    await page.goto(base + '/sidebar/#/') // no chat chosen: the home, as when the app is opened from the workbench
    await page.getByTestId('home-admin').waitFor()
    assert.equal(await page.getByTestId('banner-admin').count(), 1, 'the demo banner links the console too')
    await page.getByTestId('home-admin').click()
    await page.waitForURL(/\/admin\/$/)
    await page.getByTestId('who').waitFor()
    await page.context().close()
  }
})

// kpiHome waits for the home's numbers: the three rates as percentages and the charts drawn (canvas).
async function kpiHome(page) {
  await page.getByTestId('kpi').waitFor()
  for (const title of ['登录率', '分享率', '成交率']) {
    await page.locator(`[data-stat="${title}"] .value`).filter({ hasText: /^\d+(\.\d)?%$/ }).waitFor()
  }
  await page.locator('[data-test="trend-chart"] canvas').first().waitFor()
  await page.locator('[data-test="rank-chart"] canvas').first().waitFor()
  assert.equal(await page.locator('[data-test="trend-chart"] canvas').count() >= 2, true, 'both trends drawn')
  await page.waitForTimeout(1200) // ECharts draws its lines in over a second: let the screenshots show them
}

test('desktop: the home shows the three rates, trends and rankings, drills from the corp to a store to a guide to their customers, and exports', async () => {
  const page = await open(desktop, sc.admin)
  await page.goto(base + '/admin/')
  await kpiHome(page)
  const login = await page.locator('[data-stat="登录率"] .value').innerText()
  assert.notEqual(login, '0.0%', 'two weeks of activity: guides opened the sidebar')
  assert.match(await page.locator('[data-stat="新增客户"] .value').innerText(), /^\d+$/)
  const stores = page.getByTestId('kpi-stores')
  await stores.getByText(sc.kpi_store, { exact: true }).waitFor()
  await shot(page, 'home-kpi')

  await page.getByText('近 7 天', { exact: true }).click()
  await page.waitForFunction(() => document.querySelectorAll('[data-test="trend-chart"]').length > 0)
  await stores.locator(`[data-kpi-store="${sc.kpi_store_id}"]`).click()
  await page.waitForURL(new RegExp(`[?&]store=${sc.kpi_store_id}`))
  assert.match(await page.getByTestId('kpi-crumbs').innerText(), new RegExp(`全公司[\\s\\S]*${sc.kpi_store}`))
  const guides = page.getByTestId('kpi-guides')
  await guides.getByText(sc.kpi_guide_name, { exact: true }).waitFor()
  assert.doesNotMatch(await guides.innerText(), new RegExp(`\\b${sc.kpi_guide}\\b`), 'guides by name, userids only on hover')
  await kpiHome(page)
  await shot(page, 'home-kpi-store')

  await guides.locator(`[data-kpi-guide="${sc.kpi_guide}"]`).click()
  await page.waitForURL(/[?&]guide=/)
  const customers = page.getByTestId('kpi-customers')
  await customers.locator('tbody tr').first().waitFor()
  assert.match(await page.getByTestId('kpi-crumbs').innerText(), new RegExp(`${sc.kpi_store}[\\s\\S]*${sc.kpi_guide_name}`))
  await shot(page, 'home-kpi-guide')
  const x = await download(page, 'xlsx')
  assert.match(x.name, /^kpi-customers-\d{8}-\d{4}\.xlsx$/)
  assert.equal(x.body.subarray(0, 2).toString(), 'PK', 'an XLSX (zip) file')

  await page.goBack()
  await guides.getByText(sc.kpi_guide_name, { exact: true }).waitFor()
  const c = await download(page, 'csv')
  assert.match(c.name, /^kpi-guides-\d{8}-\d{4}\.csv$/)
  const text = c.body.toString('utf8')
  assert.ok(text.startsWith('\uFEFF导购,userid,门店'), 'a CSV with a BOM and the guides by name')
  assert.match(text, new RegExp(sc.kpi_guide_name))
})

test('phone: the home\'s rates, charts and drill-down at 360 px', async () => {
  const page = await open(phone, sc.admin)
  await page.goto(base + '/admin/')
  await kpiHome(page)
  await shot(page, 'home-kpi')
  await page.getByTestId('kpi-stores').locator(`[data-kpi-store="${sc.kpi_store_id}"]`).click()
  await page.getByTestId('kpi-guides').getByText(sc.kpi_guide_name, { exact: true }).waitFor()
  await kpiHome(page)
  await shot(page, 'home-kpi-store')
})

test('a store manager\'s home starts at their store, and another store\'s numbers are refused', async () => {
  const page = await open(desktop, sc.manager)
  await page.goto(base + '/admin/')
  await page.getByTestId('kpi-guides').waitFor()
  assert.match(await page.getByTestId('kpi-crumbs').innerText(), new RegExp(sc.manager_store))
  const r = await page.request.get(`${base}/api/admin/kpi/guides?store_id=${sc.kpi_store_id === 2 ? 3 : sc.kpi_store_id}`)
  assert.equal(r.status(), 403)
})
