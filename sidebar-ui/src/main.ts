import { createApp } from 'vue'
import 'vant/es/toast/style'
import './style.css'
import App from './App.vue'
import { router } from './router'
import { boot } from './session'

boot(location.hash.startsWith('#/demo'))
createApp(App).use(router).mount('#app')
