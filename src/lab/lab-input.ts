/** vppkit.yaml as written, once it has passed the JSON Schema (see vppkit.schema.json). */
export interface LabInput {
  name: string;
  pool?: string;
  vpp?: {
    release?: string;
    image?: string;
    prefix?: string;
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
  memif?: Record<string, unknown>;
  vcl?: Record<string, unknown>;
  af_xdp?: Record<string, unknown>;
  tap?: Record<string, unknown>;
}
