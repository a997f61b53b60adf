// Hash history: the JS-SDK signs the URL without the hash, so routing never needs a new signature.
// The admin console is its own page under /admin/; the old #/admin links lead there.
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
      path: '/admin/:rest(.*)*',
      component: HomeView,
      beforeEnter: () => {
        location.replace('/admin/')
        return false
      },
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})
