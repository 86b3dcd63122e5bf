// opencc-js publishes its dictionaries as modules (`opencc-js/dict/<name>`) without types: each
// default-exports one dictionary in OpenCC's text form, `source replacement[ more]|…`.
declare module 'opencc-js/dict/*' {
  const dictionary: string;
  export default dictionary;
}
