import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { VantResolver } from '@vant/auto-import-resolver'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// Two pages in one build, embedded into the Go binary (embed.go): the guide sidebar (index.html, Vant,
// served under /sidebar/) and the admin console (console.html, Element Plus and ECharts, served for
// /admin/...). Components are imported on demand, so the sidebar's bundle carries no Element Plus.
// `npm run dev` proxies the API to a local `guidebox serve` (make run).
const backend = process.env.GUIDEBOX_URL ?? 'http://127.0.0.1:8080'

export default defineConfig({
  base: '/sidebar/',
  plugins: [vue(), Components({ resolvers: [VantResolver(), ElementPlusResolver({ importStyle: 'css' })], dts: false })],
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 800,
    rollupOptions: { input: { index: 'index.html', console: 'console.html' } },
  },
  server: {
    proxy: { '/api': backend, '/oauth': backend, '/demo/api': backend },
  },
})
