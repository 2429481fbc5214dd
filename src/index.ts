export { DriftError } from "./errors.js";
