/**
 * The /proc/net/netstat TcpExt counters the simulator counts (a subset of run_output's
 * recorded_counters: only those it models; a run lists exactly these in meta.counters so that a
 * comparison never mistakes "not modelled" for zero).
 * Kernel: include/uapi/linux/snmp.h LINUX_MIB_* names, as printed in /proc/net/netstat.
 */
export const sim_counters = [
  'TCPRcvCoalesce',
  'PruneCalled',
  'RcvPruned',
  'TCPRcvCollapsed',
  'TCPRcvQDrop',
  'TCPZeroWindowDrop',
  'TCPWantZeroWindowAdv',
  'TCPToZeroWindowAdv',
  'TCPFromZeroWindowAdv',
  'TCPMemoryPressures',
  'TCPMemoryPressuresChrono',
  'DelayedACKs',
  'TCPOrigDataSent',
  'TCPBacklogCoalesce',
  'TCPBacklogDrop',
  'TCPLossProbes',
  'TCPOFOQueue',
  'TCPOFODrop',
  'TCPOFOMerge',
  'OfoPruned',
  'TCPSackRecovery',
  'TCPFastRetrans',
  'TCPLostRetransmit',
  'TCPSackMerged',
] as const;
export type SimCounter = (typeof sim_counters)[number];

export const C_RcvCoalesce = 0;
export const C_PruneCalled = 1;
export const C_RcvPruned = 2;
export const C_RcvCollapsed = 3;
export const C_RcvQDrop = 4;
export const C_ZeroWindowDrop = 5;
export const C_WantZeroWindowAdv = 6;
export const C_ToZeroWindowAdv = 7;
export const C_FromZeroWindowAdv = 8;
export const C_MemoryPressures = 9;
export const C_MemoryPressuresChrono = 10;
export const C_DelayedACKs = 11;
export const C_OrigDataSent = 12;
export const C_BacklogCoalesce = 13;
export const C_BacklogDrop = 14;
export const C_LossProbes = 15;
export const C_OFOQueue = 16;
export const C_OFODrop = 17;
export const C_OFOMerge = 18;
export const C_OfoPruned = 19;
export const C_SackRecovery = 20;
export const C_FastRetrans = 21;
export const C_LostRetransmit = 22;
export const C_SackMerged = 23;
