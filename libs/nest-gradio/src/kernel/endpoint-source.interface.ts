/** Where an endpoint came from (its class and method), for error messages. */
export interface EndpointSource {
  readonly className: string;
  readonly methodName: string;
}
