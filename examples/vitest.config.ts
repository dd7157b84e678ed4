// The examples run as tests: each one started the way its README says, then used as a user would.
import { defineProject } from 'vitest/config';
import { sharedProject } from '../vitest.shared.js';

export default defineProject(sharedProject('examples', { include: ['test/**/*.test.ts'] }));
