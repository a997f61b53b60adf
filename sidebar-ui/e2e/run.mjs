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
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai' }) // the corp's time zone (workbench.timezone), as guides' phones are set
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

// settle waits until no popup overlay or toast is showing, so a screenshot shows the page itself.
async function settle(page) {
  await page.waitForFunction(() => ![...document.querySelectorAll('.van-overlay, .van-toast')].some((e) => getComputedStyle(e).display !== 'none'))
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
  const added = page.locator(`[data-test="tags"] [data-tag="${sc.new_tag_id}"]`)
  assert.equal(await added.getAttribute('data-origin'), 'guide', 'the tag the guide added says so')
  assert.match(await added.innerText(), /导购/)
  const r = await fetch(`${base}/test/sim/follower?userid=${sc.guide_a}&external_userid=${sc.mine}`)
  const f = await r.json()
  assert.ok(f.tag_ids.includes(sc.new_tag_id), 'mark_tag reached WeCom (the simulator)')
  await shot(page, 'tags')
  await page.close()
})

test('recommendations come with their reasons and nothing sold out, at 360 px', async () => {
  const page = await newPage()
  await openAs(page, sc.guide_a, { entry: 'single_chat_tools', external_userid: sc.mine })
  const list = page.getByTestId('products')
  await list.locator('[data-product]').first().waitFor()
  const items = await list.locator('[data-product]').all()
  assert.ok(items.length >= 3, 'several recommendations')
  const phrase = /标签「|买过「.+」的顾客常买|上次购买已 \d+ 天|本店热销|常买「|人气商品|店铺推荐/
  for (const item of items) {
    const reason = await item.getByTestId('reason').innerText()
    assert.match(reason, phrase, 'a reason the guide can say')
  }
  assert.doesNotMatch(await list.innerText(), /缺货/, 'nothing sold out is offered')
  const origins = await page.locator('[data-test="tags"] [data-test="tag-origin"]').allInnerTexts()
  assert.ok(origins.length > 0 && origins.every((o) => /企业微信|导购|规则/.test(o)), 'each tag says where it came from')
  await list.scrollIntoViewIfNeeded()
  await shot(page, 'recommendations')
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
  const share = card.recent_shares.find((s) => s.product_id === productID && s.msgtype === 'news')
  assert.ok(share, 'the share is stored: guide, customer, product and time, for the KPIs')
  assert.ok(Date.now() - Date.parse(share.shared_at) < 60000)
  assert.ok(!card.recommendations.some((r) => r.product.product_id === productID), 'not offered again for 7 days')
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
  const guides = page.locator('[data-test="group-guides"] [data-guide]')
  assert.ok((await guides.count()) >= 1, 'the guides of the group are listed, not only counted')
  assert.match(await guides.first().innerText(), /（群主）/)
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

// tab opens one of the customer card's tabs by its title.
async function tab(page, title) {
  const tabs = page.locator('[data-test="card-tabs"] > .van-tabs__wrap .van-tab')
  await tabs.filter({ hasText: title }).click()
  await tabs.filter({ hasText: title }).and(page.locator('.van-tab--active')).waitFor()
  await page.waitForTimeout(400) // the tab's slide, so screenshots show where it lands
}

test('the home lists today\'s follow-ups and opens the card', async () => {
  const page = await newPage()
  await openAs(page, sc.guide_a, { entry: 'normal' })
  await page.getByTestId('home').waitFor()
  await page.locator(`[data-test="home-today"] [data-customer="${sc.due_today}"]`).waitFor()
  await page.locator(`[data-test="home-overdue"] [data-customer="${sc.overdue}"]`).waitFor()
  assert.match(await page.getByTestId('home-today').innerText(), /今日待跟进/)
  assert.match(await page.getByTestId('home-today').innerText(), /确认大衣尺码/)
  await shot(page, 'home')
  await page.locator(`[data-test="home-today"] [data-customer="${sc.due_today}"]`).click()
  await page.getByTestId('customer-card').waitFor()
  assert.match(await page.getByTestId('next-follow-up').innerText(), /今天 12:00/)
  assert.equal(await page.getByTestId('send-product').count(), 0, 'not in a chat: nothing to send into')
  await page.close()
})

test('add a follow-up note with a next time', async () => {
  const page = await newPage()
  await openAs(page, sc.guide_a, { entry: 'single_chat_tools', external_userid: sc.mine })
  await page.getByTestId('customer-card').waitFor()
  await tab(page, '跟进')
  await page.getByTestId('note-composer').waitFor()
  await page.locator('[data-test="note-body"] textarea').fill('到店试穿了驼色大衣，喜欢但想再考虑一下')
  await page.locator('[data-stage="intent"]').click()
  await page.locator('[data-day="明天"]').click()
  await page.locator('[data-hour="15"]').click()
  assert.match(await page.getByTestId('next-at').innerText(), /下次跟进 .* 15:00，当天会出现在工作台的今日待跟进/)
  await shot(page, 'note-form')
  await page.getByTestId('save-note').click()
  const first = page.locator('[data-test="notes"] [data-note]').first()
  await first.getByText('到店试穿了驼色大衣').waitFor()
  assert.match(await first.innerText(), /下次跟进 明天 15:00/)
  assert.match(await page.getByTestId('next-follow-up').innerText(), /明天 15:00/, 'the card says when to follow up')
  await settle(page)
  const saved = await page.evaluate(async (id) => {
    const n = (await (await fetch(`/api/sidebar/customers/${id}/notes`)).json()).notes[0]
    const next = new Date(n.next_at) // in the page's (the corp's) time zone
    return { stage: n.stage_id, hour: next.getHours(), days: Math.round((next.setHours(0, 0, 0, 0) - new Date().setHours(0, 0, 0, 0)) / 86400000) }
  }, sc.mine)
  assert.deepEqual(saved, { stage: 'intent', hour: 15, days: 1 }, 'stored: the stage, tomorrow at 15:00')
  await shot(page, 'notes')
  await page.close()
})

test('edit a profile field', async () => {
  const page = await newPage()
  await openAs(page, sc.guide_a, { entry: 'single_chat_tools', external_userid: sc.mine })
  await page.getByTestId('customer-card').waitFor()
  await tab(page, '资料')
  await page.locator('[data-field="size"]').click()
  await page.getByTestId('field-editor').waitFor()
  await page.locator('[data-test="field-editor"] [data-option="M"]').click()
  await shot(page, 'profile-edit')
  await page.getByTestId('save-field').click()
  await page.getByTestId('field-editor').waitFor({ state: 'hidden' })
  assert.match(await page.locator('[data-field="size"]').innerText(), /M/)
  await page.locator('[data-field="skin"]').click()
  await page.locator('[data-test="field-editor"] [data-option="混合"]').click()
  await page.locator('[data-test="field-editor"] [data-option="敏感"]').click()
  await page.getByTestId('save-field').click()
  await page.getByTestId('field-editor').waitFor({ state: 'hidden' })
  const p = await page.evaluate(async (id) => (await fetch(`/api/sidebar/customers/${id}/profile`)).json(), sc.mine)
  assert.equal(p.values.size, 'M')
  assert.deepEqual(p.values.skin, ['混合', '敏感'])
  await settle(page)
  await shot(page, 'profile')
  await page.close()
})

test('send a quick reply through sendChatMessage and see the send recorded', async () => {
  const page = await newPage()
  await openAs(page, sc.guide_a, { entry: 'single_chat_tools', external_userid: sc.mine })
  await page.getByTestId('customer-card').waitFor()
  await tab(page, '话术')
  const item = page.locator(`[data-item="${sc.reply_id}"]`)
  await item.waitFor()
  await shot(page, 'replies')
  await item.getByTestId('send-reply').click()
  await page.waitForFunction(() => JSON.parse(sessionStorage.getItem('guidebox.demo.sent') ?? '[]').length > 0)
  const sent = await page.evaluate(() => JSON.parse(sessionStorage.getItem('guidebox.demo.sent')))
  assert.deepEqual(sent, [{ msgtype: 'text', text: { content: sc.reply_text } }], 'the demo bridge recorded the sendChatMessage call')
  let sends = []
  for (let i = 0; i < 50 && sends.length === 0; i++) {
    sends = (await (await fetch(base + '/test/sends')).json()).sends ?? [] // null until the first send is stored
    if (sends.length === 0) await page.waitForTimeout(100)
  }
  assert.deepEqual(sends, [{ userid: sc.guide_a, external_userid: sc.mine, item_id: sc.reply_id, kind: 'text' }])
  await page.close()
})

test('a single-choice tag group keeps one tag', async () => {
  const page = await newPage()
  await openAs(page, sc.guide_a, { entry: 'single_chat_tools', external_userid: sc.mine })
  await page.getByTestId('edit-tags').click()
  await page.getByTestId('tag-editor').waitFor()
  await page.locator(`[data-single="${sc.level_group}"]`).waitFor()
  const tags = await page.evaluate(async () => (await fetch('/api/sidebar/tags')).json())
  const levels = tags.groups.find((g) => g.group_id === sc.level_group).tags.map((t) => t.tag_id)
  const before = (await (await fetch(`${base}/test/sim/follower?userid=${sc.guide_a}&external_userid=${sc.mine}`)).json()).tag_ids
  const other = levels.find((id) => !before.includes(id))
  await page.locator(`[data-pick="${other}"]`).click()
  const picked = []
  for (const id of levels) if (!(await page.locator(`[data-pick="${id}"]`).getAttribute('class')).includes('plain')) picked.push(id)
  assert.deepEqual(picked, [other], 'picking a level lets go of the other')
  await shot(page, 'tags-single')
  await page.getByTestId('save-tags').click()
  await page.getByTestId('tag-editor').waitFor({ state: 'hidden' })
  const after = (await (await fetch(`${base}/test/sim/follower?userid=${sc.guide_a}&external_userid=${sc.mine}`)).json()).tag_ids
  assert.deepEqual(after.filter((id) => levels.includes(id)), [other], 'WeCom holds one level')
  await page.close()
})

test('edit the remark: WeCom first, then the card', async () => {
  const page = await newPage()
  await openAs(page, sc.guide_a, { entry: 'single_chat_tools', external_userid: sc.mine })
  await page.getByTestId('edit-remark').click()
  await page.getByTestId('remark-editor').waitFor()
  await page.locator('[data-test="remark-input"] input').fill('周小姐-金卡')
  await shot(page, 'remark')
  await page.getByTestId('save-remark').click()
  await page.getByTestId('remark-editor').waitFor({ state: 'hidden' })
  assert.equal(await page.getByTestId('remark').innerText(), '周小姐-金卡')
  const f = await (await fetch(`${base}/test/sim/follower?userid=${sc.guide_a}&external_userid=${sc.mine}`)).json()
  assert.equal(f.remark, '周小姐-金卡')
  await page.close()
})

test("the timeline pages at 360 px, the previous guide's entries marked as theirs", async () => {
  const page = await newPage()
  await openAs(page, sc.guide_a, { entry: 'single_chat_tools', external_userid: sc.inherited })
  await page.getByTestId('customer-card').waitFor()
  await tab(page, '轨迹')
  const entries = page.locator('[data-test="timeline"] [data-entry]')
  await entries.first().waitFor()
  assert.equal(await entries.count(), 20, 'a page of 20')
  assert.equal(await page.getByTestId('timeline-end').count(), 0)
  const text = await page.getByTestId('timeline').innerText()
  assert.match(text, new RegExp(`其他导购 · ${sc.prev_name}`), "the previous guide's notes under their name")
  assert.match(text, /跟进记录/)
  for (let pages = 1; (await page.getByTestId('timeline-end').count()) === 0; pages++) {
    assert.ok(pages < 10, 'the pages end')
    const shown = await entries.count()
    await page.getByTestId('timeline-more').click()
    await page.waitForFunction((n) => document.querySelectorAll('[data-test="timeline"] [data-entry]').length > n, shown)
  }
  const ids = await entries.evaluateAll((es) => es.map((e) => e.dataset.entry))
  assert.ok(ids.length > 20, 'the next page appended')
  assert.equal(new Set(ids).size, ids.length, 'no entry twice')
  const all = await page.getByTestId('timeline').innerText()
  assert.match(all, new RegExp(`由 ${sc.prev_name} 转接给 `), 'the handover, from whom')
  assert.match(all, /添加为客户/)
  await settle(page)
  await shot(page, 'timeline')
  await page.close()
})
