// Browser tests of the console's work pages (导购任务, 商品与订单 with 自动标签, 话术与素材, 客户资料字段) in
// headless Chromium at 1280 × 800 and 360 × 780, after e2e/admin.mjs on the same server (driven by
// handler/admin_browser_test.go, whose scenario's `pages` names the seeded data). Usage: node
// e2e/admin-pages.mjs <baseURL>. Screenshots go to $GUIDEBOX_ARTIFACTS (test-artifacts/), console-*.png.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, selectors } from 'playwright-core'

const base = process.argv[2] ?? process.env.GUIDEBOX_URL
if (!base) throw new Error('usage: node e2e/admin-pages.mjs <baseURL>')
const artifacts = process.env.GUIDEBOX_ARTIFACTS ?? 'test-artifacts'
mkdirSync(artifacts, { recursive: true })
selectors.setTestIdAttribute('data-test')

const desktop = { width: 1280, height: 800 }
const phone = { width: 360, height: 780 }
const sizes = [desktop, phone]
let browser
let sc // adminScenario; sc.pages is the work pages' data

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

async function open(viewport, guide) {
  const ctx = await browser.newContext({ viewport, deviceScaleFactor: viewport === phone ? 2 : 1, locale: 'zh-CN' })
  const page = await ctx.newPage()
  page.setDefaultTimeout(15000)
  page.on('pageerror', (e) => console.error(`page error (${viewport.width} px): ${e.message}`))
  const r = await page.request.post(base + '/demo/api/login', { data: { userid: guide } })
  assert.equal(r.status(), 200)
  return page
}

// shot checks nothing scrolls sideways (tables scroll inside their cards) and keeps a screenshot.
async function shot(page, name, fullPage = true) {
  const { width } = page.viewportSize()
  const scroll = await page.evaluate(() => document.scrollingElement.scrollWidth)
  assert.ok(scroll <= width, `${name}: no horizontal scrolling at ${width} px (scrollWidth ${scroll})`)
  await page.evaluate(() => Promise.all(document.getAnimations()
    .filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => {}))))
  await page.screenshot({ path: join(artifacts, `console-${name}-${width}.png`), fullPage })
}

async function menu(page, title) {
  if (page.viewportSize().width < 768) {
    await page.getByTestId('menu-toggle').click()
    await page.getByTestId('menu-drawer').getByText(title, { exact: true }).click()
    await page.getByTestId('menu-drawer').waitFor({ state: 'hidden' })
  } else {
    await page.getByTestId('menu').getByText(title, { exact: true }).click()
  }
}

// choose picks an option of an Element Plus select by its text.
async function choose(page, testId, text) {
  await page.getByTestId(testId).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

// confirm waits for a confirmation box, refuses it once when asked (nothing is sent), then accepts it.
async function confirm(page, cls, text, ok, refuse) {
  const box = page.locator(`.${cls}`)
  await box.waitFor()
  assert.match(await box.innerText(), text)
  return box.getByRole('button', { name: refuse ? '再想想' : ok }).click()
}

for (const vp of sizes) {
  test(`${vp.width} px: 导购任务 — create a task with its reach and confirmation, see it listed, open it, remind`, async () => {
    const page = await open(vp, sc.admin)
    await page.goto(base + '/admin/')
    await menu(page, '导购任务')
    await page.getByTestId('tasks').locator('tr', { hasText: '会员日预热' }).waitFor() // the seeded task, with its completion
    await shot(page, 'tasks')
    const title = `周末到店礼 ${vp.width}`
    let posts = 0
    page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/api/admin/tasks') && posts++)
    await page.getByTestId('task-new').click()
    await page.getByTestId('task-dialog').waitFor()
    await page.getByTestId('task-title').fill(title)
    await page.getByTestId('task-text').fill('周末到店即送小样，欢迎来逛～')
    await choose(page, 'task-stores', sc.pages.task_store)
    await page.getByTestId('task-title').click() // close the store list
    const reach = page.locator('[data-test="task-reach"] b[data-customers]')
    await reach.waitFor()
    const customers = Number(await reach.getAttribute('data-customers'))
    const guides = Number(await reach.getAttribute('data-guides'))
    assert.ok(customers > 0 && guides > 0, `the store's guides reach customers (${guides} guides, ${customers} customers)`)
    await shot(page, 'task-new', false)
    await page.getByTestId('task-create').click()
    const said = new RegExp(`将由 ${guides} 位导购通过企业微信群发给 ${customers} 位客户`)
    await confirm(page, 'confirm-task', said, '确定创建', true)
    await page.locator('.confirm-task').waitFor({ state: 'hidden' })
    assert.equal(posts, 0, 'refusing the confirmation creates nothing')
    await page.getByTestId('task-create').click()
    await shot(page, 'task-confirm', false)
    await confirm(page, 'confirm-task', said, '确定创建')
    const row = page.getByTestId('tasks').locator('tr', { hasText: title })
    await row.waitFor()
    assert.equal(posts, 1)
    assert.match(await row.innerText(), new RegExp(`${sc.pages.task_store}[\\s\\S]*进行中`), 'listed with its stores by name')
    await shot(page, 'tasks-created')

    await row.click()
    await page.getByTestId('task-status').waitFor()
    const stores = page.getByTestId('task-stores-table')
    await stores.locator('tr', { hasText: sc.pages.task_store }).waitFor({ timeout: 30000 }) // the runner plans and sends
    const waiting = page.locator('[data-guide-status="waiting"]')
    for (let i = 0; (await waiting.count()) === 0; i++) {
      assert.ok(i < 60, "the guides' 群发 are created in WeCom")
      await page.waitForTimeout(500)
      await page.reload()
      await page.getByTestId('task-status').waitFor()
    }
    const guideText = await page.getByTestId('task-guides').innerText()
    assert.match(guideText, new RegExp(sc.pages.task_store), 'guides by name with their store')
    assert.doesNotMatch(guideText, /\bsim_|userid/, 'no userids in the table')
    await page.getByTestId('remind-all').click()
    await confirm(page, 'confirm-remind', /提醒 \d+ 位尚未发送的导购/, '确定提醒')
    await page.locator('.el-message', { hasText: /已提醒 \d+ 位导购/ }).waitFor()
    await shot(page, 'task')
    await menu(page, '操作日志')
    const logged = page.getByTestId('audit').locator('tr', { hasText: title })
    await logged.filter({ hasText: '提醒导购发送' }).waitFor()
    assert.match(await page.getByTestId('audit').innerText(), new RegExp(`${sc.admin_name}[\\s\\S]*创建导购任务[\\s\\S]*导购任务 #\\d+[\\s\\S]*${title}`))
    await page.context().close()
  })

  test(`${vp.width} px: 商品与订单 — products with stock by store, an import with one bad row and its report, orders, 自动标签`, async () => {
    const page = await open(vp, sc.admin)
    await page.goto(base + '/admin/')
    await menu(page, '商品与订单')
    await page.locator(`[data-sku="${sc.pages.product_sku}"]`).waitFor()
    await page.getByTestId('product-search').fill(sc.pages.product)
    const product = page.getByTestId('products').locator('tr', { has: page.locator(`[data-sku="${sc.pages.product_sku}"]`) })
    await product.waitFor()
    await page.locator(`[data-stock="${sc.pages.product_sku}"]`).click()
    await page.locator('.el-popover:visible', { hasText: /店/ }).waitFor()
    await shot(page, 'products')
    await page.keyboard.press('Escape')

    await page.getByTestId('product-import').click()
    await page.getByTestId('import-dialog').waitFor()
    const csv = '货号,商品名称,价格(元),品类,在售\nE2E-001,测试保湿霜,199,美妆,是\nE2E-002,测试面膜,abc,美妆,是\n'
    await page.locator('[data-test="import-upload"] input[type=file]').setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    const summary = page.getByTestId('import-summary')
    await summary.waitFor()
    assert.match(await summary.innerText(), /共 2 行，导入 1 行，跳过 1 行/)
    const bad = page.getByTestId('import-errors').locator('tr', { has: page.locator('[data-line="3"]') })
    await bad.waitFor()
    assert.match(await bad.innerText(), /第 3 行[\s\S]*价格[\s\S]*abc/, 'the bad row: its line, column and reason')
    await shot(page, 'import-report', false)
    await page.getByTestId('import-dialog').getByRole('button', { name: '关闭', exact: true }).click()
    await page.getByTestId('product-search').fill('E2E-')
    await page.locator('[data-sku="E2E-001"]').waitFor()
    assert.equal(await page.locator('[data-sku="E2E-002"]').count(), 0, 'the refused row is not imported')

    await page.getByRole('tab', { name: '订单' }).click()
    await page.getByTestId('orders').locator('[data-order]').first().waitFor()
    await page.getByTestId('order-search').fill(sc.pages.customer)
    await page.getByTestId('order-search').press('Enter')
    await choose(page, 'order-status', '已退款')
    const refunded = page.getByTestId('orders').locator('tr', { has: page.locator(`[data-order="${sc.pages.refunded_id}"]`) })
    await refunded.waitFor()
    assert.match(await refunded.innerText(), new RegExp(`${sc.pages.customer}[\\s\\S]*已退款`), 'the customer by name')
    await shot(page, 'orders')

    await page.getByRole('tab', { name: '自动标签' }).click()
    const rule = page.getByTestId('rules').locator('tr', { hasText: sc.pages.rule })
    await rule.waitFor()
    assert.equal(await rule.locator('[data-wecom="true"]').count(), 1, 'the rule says it writes to WeCom')
    const off = page.getByTestId('rules').locator('tr', { hasText: '沉睡客户' })
    if (await off.locator('.el-switch.is-checked').count()) {
      await off.locator('.el-switch').click()
      await confirm(page, 'confirm-rule-off', /停用后/, '确定停用')
      await off.locator('.el-switch:not(.is-checked)').waitFor()
    }
    await shot(page, 'autotags')
    await page.context().close()
  })

  test(`${vp.width} px: 话术与素材 — add a quick reply, see materials, delete through the confirmation`, async () => {
    const page = await open(vp, sc.admin)
    await page.goto(base + '/admin/')
    await menu(page, '话术与素材')
    const replies = page.getByTestId('reply-items')
    await replies.locator('tr', { hasText: sc.pages.reply }).waitFor()
    const title = `到店提醒 ${vp.width}`
    await page.getByTestId('reply-new').click()
    await page.getByTestId('item-dialog').waitFor()
    await page.getByTestId('item-title').fill(title)
    await page.getByTestId('item-content').fill('您预约的时间快到了，我在门口等您～')
    await shot(page, 'reply-new', false)
    await page.getByTestId('item-save').click()
    const added = replies.locator('tr', { hasText: title })
    await added.waitFor()
    assert.match(await added.innerText(), new RegExp(sc.pages.reply_group), 'listed in its group')
    await page.getByTestId('reply-search').fill('到店')
    assert.equal(await replies.locator('tr', { hasText: sc.pages.reply }).count(), 0, 'search narrows the list')
    await shot(page, 'replies')
    await added.getByRole('button', { name: '删除' }).click()
    await confirm(page, 'confirm-delete', new RegExp(`删除话术「${title}」`), '确定删除')
    await added.waitFor({ state: 'detached' })
    await page.getByRole('tab', { name: '素材' }).click()
    await page.getByTestId('material-items').locator('tr', { hasText: '秋冬新品上市' }).waitFor()
    await shot(page, 'materials')
    await page.context().close()
  })

  test(`${vp.width} px: 客户资料字段 — add a choice field, the stages and channel names render`, async () => {
    const page = await open(vp, sc.admin)
    await page.goto(base + '/admin/')
    await menu(page, '客户资料字段')
    await page.locator(`[data-field="${sc.pages.field}"]`).waitFor()
    const name = vp === desktop ? '尺码' : '会员等级'
    await page.getByTestId('field-new').click()
    await page.getByTestId('field-dialog').waitFor()
    await page.getByTestId('field-name').fill(name)
    await page.getByTestId('field-type').getByText('多选').click()
    await page.getByTestId('field-options').fill('S\nM、L')
    await shot(page, 'field-new', false)
    await page.getByTestId('field-save').click()
    const row = page.getByTestId('fields').locator('tr', { has: page.locator(`[data-field="${name}"]`) })
    await row.waitFor()
    assert.match(await row.innerText(), /多选[\s\S]*S[\s\S]*M[\s\S]*L[\s\S]*使用中/)
    await shot(page, 'fields')
    await page.getByRole('tab', { name: '跟进阶段' }).click()
    await page.locator('[data-stage="0"]').waitFor()
    assert.equal(await page.locator('[data-stage="0"]').inputValue(), '初次接触')
    await shot(page, 'stages')
    await page.getByRole('tab', { name: '渠道名称' }).click()
    await page.getByTestId('channels').locator('tr', { hasText: sc.pages.channel }).waitFor()
    await page.getByRole('tab', { name: '按资料查客户' }).click()
    await choose(page, 'profile-field', sc.pages.field)
    await shot(page, 'profile-search')
    await page.context().close()
  })
}

test("a store manager's task form offers only their store, and the corp's settings say who manages them", async () => {
  const page = await open(desktop, sc.manager)
  await page.goto(base + '/admin/')
  await menu(page, '导购任务')
  await page.getByTestId('task-new').click()
  await page.getByTestId('task-dialog').waitFor()
  await page.getByTestId('task-stores').click()
  const options = page.locator('.el-select-dropdown__item:visible')
  await options.first().waitFor()
  assert.deepEqual(await options.allInnerTexts(), [sc.pages.manager_store], 'only the stores the manager manages')
  await page.keyboard.press('Escape')
  await page.getByTestId('task-dialog').getByRole('button', { name: '取消' }).click()
  await menu(page, '话术与素材')
  await page.getByTestId('admin-only').waitFor()
  await menu(page, '商品与订单')
  await page.getByTestId('products').locator('[data-sku]').first().waitFor()
  assert.equal(await page.getByTestId('product-import').count(), 0, 'imports are for corp admins')
  assert.equal(await page.getByRole('tab', { name: '自动标签' }).count(), 0)
  await shot(page, 'manager-catalog')
  await page.context().close()
})
