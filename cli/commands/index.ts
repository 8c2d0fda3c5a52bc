import type { Command } from 'commander';
import { register_explain } from './explain';
import { register_profile } from './profile';
import { register_capture } from './capture';
import { register_simulate } from './simulate';
import { register_validate } from './validate';
import { register_plan } from './plan';
import { register_sweep } from './sweep';

/** Every subcommand, one file each. */
export function register_commands(program: Command): void {
  register_explain(program);
  register_profile(program);
  register_capture(program);
  register_simulate(program);
  register_validate(program);
  register_plan(program);
  register_sweep(program);
}
