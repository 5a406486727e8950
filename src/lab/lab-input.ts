/** vppkit.yaml as written, once it has passed the JSON Schema (see lab-schema.ts). */
export interface LabInput {
  name: string;
  pool?: string;
  vpp?: {
    release?: string;
    image?: string;
    prefix?: string;
    'apt-repository'?: string;
    'apt-key'?: string;
    'source-tarball'?: string;
    workers?: number;
    hugepages?: boolean | string;
    plugins?: string[];
    startup?: Record<string, string>;
    cli?: string[];
    privileged?: boolean;
  };
  apps: AppInput[];
}

export interface AppInput {
  name: string;
  path: string;
  build?: string;
  image?: string;
  command?: string | string[];
  env?: Record<string, string | number | boolean>;
  address?: string;
  'vpp-address'?: string;
  port?: number;
  check?: string | string[];
  privileged?: boolean;
  /** A path's options block, under the path's optionsKey (memif, vcl, af_xdp, ...). */
  [optionsBlock: string]: unknown;
}

/**
 * The lab as written less every value the schema rejected: what the checks behind the schema read, so
 * that one load reports both kinds of problem. An app that is not a mapping at all is a hole.
 */
export interface PrunedLabInput extends Omit<Partial<LabInput>, 'apps'> {
  apps?: (Partial<AppInput> | undefined)[];
}
