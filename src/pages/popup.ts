import { localizeDocument } from './i18n.ts';

localizeDocument();
