/**
 * Mutation runs only (jest.mutation.config.js): property-based tests draw their inputs from one fixed seed.
 * With a random seed each run covers slightly different branches, so Stryker's per-test coverage changed from run
 * to run (and checkout to checkout): mutants counted as newly covered ran again in every incremental run, and a kill
 * that depended on a lucky input could flip. `npm test` keeps fast-check's random seed, to keep exploring.
 */
require('fast-check').configureGlobal({ seed: 20261207 });
