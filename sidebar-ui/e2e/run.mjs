// Browser tests of the sidebar in headless Chromium (Debian's /usr/bin/chromium through playwright-core;
// no browser is downloaded). Usage: node e2e/run.mjs <baseURL>. The server is the real guidebox router on
// MySQL with the WeCom simulator, in demo mode, plus /test/* probes of the Go test harness
// (handler/sidebar_browser_test.go). Screenshots at 360 px go to $GUIDEBOX_ARTIFACTS (test-artifacts/).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, selectors } from 'playwright-core'

const base = process.argv[2] ?? process.env.GUIDEBOX_URL
if (!base) throw new Error('usage: node e2e/run.mjs <baseURL>')
const artifacts = process.env.GUIDEBOX_ARTIFACTS ?? 'test-artifacts'
mkdirSync(artifacts, { recursive: true })

selectors.setTestIdAttribute('data-test')

let browser
let sc // the scenario the Go harness set up

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  })
  sc = await (await fetch(base + '/test/scenario')).json()
})

after(async () => {
  await browser?.close()
})

async function newPage() {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: 'zh-CN' })
  const page = await ctx.newPage()
  page.setDefaultTimeout(15000)
  return page
}

// openAs signs in as guide through the demo bridge and opens the sidebar in a chat with the customer
// (the demo bridge reads the chosen chat from sessionStorage, set before any page script runs).
async function openAs(page, guide, ctx) {
  const r = await page.request.post(base + '/demo/api/login', { data: { userid: guide } })
  assert.equal(r.status(), 200)
  await page.addInitScript((c) => sessionStorage.setItem('guidebox.demo.context', JSON.stringify(c)), ctx)
  await page.goto(base + '/sidebar/#/')
}

async function shot(page, name) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(width <= 360, `${name}: no horizontal scrolling at 360 px (scrollWidth ${width})`)
  await page.screenshot({ path: join(artifacts, `sidebar-${name}-360.png`), fullPage: true })
}

test('open the card of a customer from the demo picker', async () => {
  const page = await newPage()
  await page.goto(base + '/sidebar/#/demo')
  await page.getByTestId('demo-banner').waitFor()
  assert.match(await page.getByTestId('demo-banner').innerText(), /演示模式/)
  await page.getByTestId('demo-guide').selectOption(sc.guide_a)
  assert.equal(await page.getByTestId('demo-open-admin').count(), 0, 'a guide who is not an admin gets no admin entry')
  await page.locator(`[data-demo-customer="${sc.mine}"]`).click()
  await page.getByTestId('customer-card').waitFor()
  assert.ok((await page.getByTestId('customer-name').innerText()).length > 0)
  assert.ok(await page.locator('[data-tag]').count() > 0, 'tags grouped by tag group')
  assert.ok(await page.locator('[data-product]').count() > 0, 'recommended products')
  assert.match(await page.getByTestId('orders').innerText(), /订单/)
  assert.match(await page.getByTestId('demo-banner').innerText(), /演示模式/)
  assert.equal(await page.getByTestId('banner-admin').count(), 0, 'nor a link to the admin pages')
  await shot(page, 'card')
  await page.close()
})

test("the card lists the customer's latest orders at 360 px", async () => {
  const page = await newPage()
  await openAs(page, sc.guide_a, { entry: 'single_chat_tools', external_userid: sc.mine })
  const orders = page.getByTestId('orders')
  await orders.locator('[data-order="SC-PAID"]').waitFor()
  const paid = await orders.locator('[data-order="SC-PAID"]').innerText()
  assert.match(paid, /\d{4}-\d{2}-\d{2}/, 'the date')
  assert.match(paid, /店/, 'the store')
  assert.match(paid, /丝绒哑光口红 ×2、玻尿酸精华液/, 'the items')
  assert.match(paid, /¥697/, 'the amount in 元')
  assert.equal(await orders.locator('[data-order="SC-PAID"] [data-test="refunded"]').count(), 0)
  assert.match(await orders.locator('[data-order="SC-REFUNDED"]').innerText(), /已退款/)
  assert.ok((await orders.locator('[data-order]').count()) <= 5, 'the latest five at most')
  await orders.scrollIntoViewIfNeeded()
  await shot(page, 'orders')
  await page.close()
})

test('edit a tag and see it in the simulator', async () => {
  assert.ok(sc.new_tag_id, 'a tag to add')
  const page = await newPage()
  await openAs(page, sc.guide_a, { entry: 'single_chat_tools', external_userid: sc.mine })
  await page.getByTestId('edit-tags').click()
  await page.getByTestId('tag-editor').waitFor()
  await page.locator(`[data-pick="${sc.new_tag_id}"]`).click()
  await page.getByTestId('save-tags').click()
  await page.locator(`[data-test="tags"] [data-tag="${sc.new_tag_id}"]`).waitFor()
  await page.getByTestId('tag-editor').waitFor({ state: 'hidden' })
  const r = await fetch(`${base}/test/sim/follower?userid=${sc.guide_a}&external_userid=${sc.mine}`)
  const f = await r.json()
  assert.ok(f.tag_ids.includes(sc.new_tag_id), 'mark_tag reached WeCom (the simulator)')
  await shot(page, 'tags')
  await page.close()
})

test('send a product and see the share recorded', async () => {
  const page = await newPage()
  await openAs(page, sc.guide_a, { entry: 'single_chat_tools', external_userid: sc.mine })
  await page.getByTestId('customer-card').waitFor().catch(async (e) => {
    await page.screenshot({ path: join(artifacts, 'sidebar-send-failure-360.png'), fullPage: true })
    throw e
  })
  const item = page.locator('[data-product]').first()
  const productID = await item.getAttribute('data-product')
  await item.getByTestId('send-product').click()
  await page.locator(`[data-product="${productID}"] [data-test="shared-at"]`).waitFor()
  const card = await page.evaluate(async (id) => (await fetch('/api/sidebar/customers/' + id)).json(), sc.mine)
  assert.ok(card.recent_shares.some((s) => s.product_id === productID && s.msgtype === 'news'), 'the share is stored')
  await page.close()
})

test('open an inherited customer and see the handover line', async () => {
  const page = await newPage()
  await openAs(page, sc.guide_a, { entry: 'single_chat_tools', external_userid: sc.inherited })
  const line = await page.getByTestId('handover').innerText()
  assert.match(line, new RegExp(`接手自 ${sc.prev_name}，\\d{4}-\\d{2}-\\d{2}`))
  assert.match(line, /原备注：/)
  await shot(page, 'handover')
  await page.close()
})

test('a lost customer is read-only with a badge', async () => {
  const page = await newPage()
  await openAs(page, sc.guide_a, { entry: 'single_chat_tools', external_userid: sc.lost })
  await page.getByTestId('lost-badge').waitFor()
  assert.equal(await page.getByTestId('edit-tags').count(), 0)
  assert.equal(await page.getByTestId('send-product').count(), 0)
  await page.close()
})

test("another guide's customer is refused with 403", async () => {
  const page = await newPage()
  const seen = page.waitForResponse((r) => r.url().includes('/api/sidebar/customers/' + sc.other))
  await openAs(page, sc.guide_a, { entry: 'single_chat_tools', external_userid: sc.other })
  assert.equal((await seen).status(), 403)
  await page.getByTestId('error').waitFor()
  assert.match(await page.getByTestId('error').innerText(), /无权查看/)
  assert.equal(await page.getByTestId('customer-card').count(), 0)
  await shot(page, 'forbidden')
  await page.close()
})

test('open the card of a group chat', async () => {
  const page = await newPage()
  await openAs(page, sc.guide_a, { entry: 'group_chat_tools', chat_id: sc.group_a })
  await page.getByTestId('group-card').waitFor()
  assert.match(await page.getByTestId('group-card').innerText(), /群内客户/)
  await shot(page, 'group')
  await page.close()
})

test('the guide sees their task on the sidebar home', async () => {
  assert.ok(sc.task_id, 'a task was seeded for the guide')
  const page = await newPage()
  await openAs(page, sc.guide_a, {}) // opened from the workbench, not in a chat: the home stays
  await page.getByTestId('home-tasks').waitFor()
  const task = page.locator(`[data-task="${sc.task_id}"]`)
  const text = await task.innerText()
  assert.match(text, new RegExp(sc.task_title))
  assert.match(text, /待发送/)
  assert.match(text, /发送给 1 位客户/)
  assert.match(text, /群发助手/, 'where to send it')
  await shot(page, 'tasks')
  await page.close()
})
