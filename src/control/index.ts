// Requests from operator tools to a running pipeline (`dts stop`); the runtime takes them.
export { takeControlRequest, writeControlRequest, type ControlAction, type ControlRequest } from "./control-file.js";
