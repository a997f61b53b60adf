import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { VantResolver } from '@vant/auto-import-resolver'

// The build is embedded into the Go binary (embed.go) and served under /sidebar/.
// `npm run dev` proxies the API to a local `guidebox serve` (make run).
const backend = process.env.GUIDEBOX_URL ?? 'http://127.0.0.1:8080'

export default defineConfig({
  base: '/sidebar/',
  plugins: [vue(), Components({ resolvers: [VantResolver()], dts: false })],
  build: { outDir: 'dist', chunkSizeWarningLimit: 800 },
  server: {
    proxy: { '/api': backend, '/oauth': backend, '/demo/api': backend },
  },
})
