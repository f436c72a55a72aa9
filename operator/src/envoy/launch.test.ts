import { envoyEnv, MODULE_SEARCH_PATH } from './launch';

describe('Envoy\'s environment', () => {
  it('names the authn module\'s directory, where Envoy loads lib<name>.so from', () => {
    expect(envoyEnv({ PATH: '/bin' }, '/opt/turnpike/libturnpike_authn.so')).toEqual({ PATH: '/bin', [MODULE_SEARCH_PATH]: '/opt/turnpike' });
    // The module's directory wins over one inherited from the shell.
    expect(envoyEnv({ [MODULE_SEARCH_PATH]: '/elsewhere' }, '/opt/libx.so')[MODULE_SEARCH_PATH]).toBe('/opt');
  });

  it('without a module path keeps the shell\'s directory, else uses make setup\'s component cache', () => {
    expect(envoyEnv({ [MODULE_SEARCH_PATH]: '/mine' })[MODULE_SEARCH_PATH]).toBe('/mine');
    expect(envoyEnv({ TURNPIKE_CACHE: '/cache' })[MODULE_SEARCH_PATH]).toBe('/cache/bin');
  });
});
