// The admin console (/admin/): Vue 3 with Element Plus and ECharts, imported on demand.
import { createApp } from 'vue'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import './console.css'
import App from './App.vue'
import { router } from './router'
import { boot } from './session'

boot()
createApp(App).use(router).mount('#console')
