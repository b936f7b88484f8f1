#!/usr/bin/env node
// `npx scorta-mcp`: Scorta's MCP server over stdio. Registers tsx in this process and loads the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../server/mcp-stdio.ts', import.meta.url).href);
