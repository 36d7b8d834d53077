// Small 3-D rotation and dense linear-algebra helpers for the IK controller (shared/reference/simulation.md §3.3).

/** Row-major 3×3 matrix (as MuJoCo's xmat). */
export type Mat3 = Float64Array | number[];

/** Rotation matrix for an axis-angle vector (Rodrigues). */
export function axisAngleToMat(w: readonly number[]): number[] {
  const th = Math.hypot(w[0], w[1], w[2]);
  if (th < 1e-12) return [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const x = w[0] / th, y = w[1] / th, z = w[2] / th;
  const c = Math.cos(th), s = Math.sin(th), C = 1 - c;
  return [c + x * x * C, x * y * C - z * s, x * z * C + y * s, y * x * C + z * s, c + y * y * C, y * z * C - x * s, z * x * C - y * s, z * y * C + x * s, c + z * z * C];
}

export function matMul(a: Mat3, b: Mat3): number[] {
  const o = new Array<number>(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) o[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
  return o;
}

export function matMulT(a: Mat3, b: Mat3): number[] {
  // a · bᵀ
  const o = new Array<number>(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) o[3 * i + j] = a[3 * i] * b[3 * j] + a[3 * i + 1] * b[3 * j + 1] + a[3 * i + 2] * b[3 * j + 2];
  return o;
}

/** Axis-angle vector of a rotation matrix (log map), robust near 0 and π. */
export function matToAxisAngle(r: Mat3): number[] {
  const cos = Math.min(1, Math.max(-1, (r[0] + r[4] + r[8] - 1) / 2));
  const th = Math.acos(cos);
  if (th < 1e-9) return [0, 0, 0];
  if (Math.PI - th < 1e-4) {
    // near π: axis from the diagonal
    const x = Math.sqrt(Math.max(0, (r[0] + 1) / 2)), y = Math.sqrt(Math.max(0, (r[4] + 1) / 2)), z = Math.sqrt(Math.max(0, (r[8] + 1) / 2));
    const sy = r[1] + r[3] >= 0 ? 1 : -1, sz = r[2] + r[6] >= 0 ? 1 : -1;
    return [x * th, sy * y * th, sz * z * th];
  }
  const k = th / (2 * Math.sin(th));
  return [(r[7] - r[5]) * k, (r[2] - r[6]) * k, (r[3] - r[1]) * k];
}

/** Rotation error (axis-angle, world frame) that takes `cur` to `target`. */
export function rotError(target: Mat3, cur: Mat3): number[] {
  return matToAxisAngle(matMulT(target, cur));
}

/** Solve A x = b in place for a small dense SPD system (Gaussian elimination with partial pivoting). */
export function solveSmall(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) p = r;
    if (p !== c) {
      for (let k = 0; k < n; k++) [a[c * n + k], a[p * n + k]] = [a[p * n + k], a[c * n + k]];
      [b[c], b[p]] = [b[p], b[c]];
    }
    const piv = a[c * n + c] || 1e-12;
    for (let r = c + 1; r < n; r++) {
      const fct = a[r * n + c] / piv;
      if (fct === 0) continue;
      for (let k = c; k < n; k++) a[r * n + k] -= fct * a[c * n + k];
      b[r] -= fct * b[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < n; k++) s -= a[r * n + k] * b[k];
    b[r] = s / (a[r * n + r] || 1e-12);
  }
  return b;
}

/** Yaw (rotation about world z) of a frame's x axis. */
export function yawOf(r: Mat3): number {
  return Math.atan2(r[3], r[0]);
}

/** Quaternion (w, x, y, z) for a yaw angle. */
export function yawQuat(yaw: number): [number, number, number, number] {
  return [Math.cos(yaw / 2), 0, 0, Math.sin(yaw / 2)];
}

/** Rotation matrix → quaternion (w, x, y, z). */
export function matToQuat(r: Mat3): [number, number, number, number] {
  const tr = r[0] + r[4] + r[8];
  if (tr > 0) {
    const s = Math.sqrt(tr + 1) * 2;
    return [0.25 * s, (r[7] - r[5]) / s, (r[2] - r[6]) / s, (r[3] - r[1]) / s];
  }
  if (r[0] > r[4] && r[0] > r[8]) {
    const s = Math.sqrt(1 + r[0] - r[4] - r[8]) * 2;
    return [(r[7] - r[5]) / s, 0.25 * s, (r[1] + r[3]) / s, (r[2] + r[6]) / s];
  }
  if (r[4] > r[8]) {
    const s = Math.sqrt(1 + r[4] - r[0] - r[8]) * 2;
    return [(r[2] - r[6]) / s, (r[1] + r[3]) / s, 0.25 * s, (r[5] + r[7]) / s];
  }
  const s = Math.sqrt(1 + r[8] - r[0] - r[4]) * 2;
  return [(r[3] - r[1]) / s, (r[2] + r[6]) / s, (r[5] + r[7]) / s, 0.25 * s];
}
