// Hash history: the JS-SDK signs the URL without the hash, so routing never needs a new signature.
// The admin pages live under #/admin/... in this same app (/admin redirects there).
import { createRouter, createWebHashHistory } from 'vue-router'
import HomeView from '../views/HomeView.vue'

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'home', component: HomeView },
    { path: '/customer/:id', name: 'customer', component: () => import('../views/CustomerView.vue'), props: true },
    { path: '/group/:id', name: 'group', component: () => import('../views/GroupView.vue'), props: true },
    { path: '/demo', name: 'demo', component: () => import('../views/DemoView.vue') },
    {
      path: '/admin',
      children: [
        { path: '', name: 'admin', component: () => import('../views/admin/AdminCases.vue') },
        { path: 'case/:id', name: 'admin-case', component: () => import('../views/admin/AdminCase.vue'), props: true },
      ],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})
