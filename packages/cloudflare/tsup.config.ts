import { libraryConfig } from '../../tsup.preset.js';

export default libraryConfig({ index: 'src/index.ts' });
