// The console routes by path under /admin/ (the binary answers console.html for every /admin/... path).
import { createRouter, createWebHistory } from 'vue-router'
import HomeView from './views/HomeView.vue'

/** menu is the side menu, in order: each entry is a page. */
export const menu = [
  { path: '/', title: '首页/数据', icon: 'DataLine' },
  { path: '/resigned', title: '离职继承', icon: 'UserFilled' },
  { path: '/onjob', title: '在职转接', icon: 'Switch' },
  { path: '/tasks', title: '导购任务', icon: 'Finished' },
  { path: '/catalog', title: '商品与订单', icon: 'Goods' },
  { path: '/materials', title: '话术与素材', icon: 'ChatLineSquare' },
  { path: '/fields', title: '客户资料字段', icon: 'Postcard' },
  { path: '/audit', title: '操作日志', icon: 'Document' },
  { path: '/settings', title: '设置', icon: 'Setting' },
] as const

export const router = createRouter({
  history: createWebHistory('/admin/'),
  routes: [
    { path: '/', name: 'home', component: HomeView, meta: { title: '首页/数据' } },
    { path: '/resigned', name: 'resigned', component: () => import('./views/ResignedView.vue'), meta: { title: '离职继承' } },
    { path: '/onjob', name: 'onjob', component: () => import('./views/OnjobView.vue'), meta: { title: '在职转接' } },
    { path: '/cases/:id', name: 'case', component: () => import('./views/CaseView.vue'), props: true, meta: { title: '交接单' } },
    { path: '/tasks', name: 'tasks', component: () => import('./views/TasksView.vue'), meta: { title: '导购任务' } },
    { path: '/tasks/:id', name: 'task', component: () => import('./views/TaskView.vue'), props: true, meta: { title: '任务详情' } },
    { path: '/catalog', name: 'catalog', component: () => import('./views/CatalogView.vue'), meta: { title: '商品与订单' } },
    { path: '/materials', name: 'materials', component: () => import('./views/MaterialsView.vue'), meta: { title: '话术与素材' } },
    { path: '/fields', name: 'fields', component: () => import('./views/FieldsView.vue'), meta: { title: '客户资料字段' } },
    { path: '/audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { title: '操作日志' } },
    { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue'), meta: { title: '设置' } },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.afterEach((to) => {
  document.title = `${to.meta.title ?? '管理后台'} · 导购助手管理后台`
})
