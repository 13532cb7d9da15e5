// Entry of media/dist/recordsPage.js (esbuild, IIFE): the records page's typed pure parts, handed
// to media/records.js as window.RecordsPage.
import {
  chooseColumns,
  chooserOrder,
  defaultColumnOrder,
  EVENT_TIME,
  formatSize,
  nameColumns,
  resourceFilterValue,
  SOURCE_NAME,
  DESTINATION_NAME,
  s3FooterText,
  shownColumns,
  visibleText,
} from './pageText';

(globalThis as unknown as { RecordsPage: unknown }).RecordsPage = {
  EVENT_TIME,
  chooseColumns,
  chooserOrder,
  defaultColumnOrder,
  formatSize,
  nameColumns,
  resourceFilterValue,
  SOURCE_NAME,
  DESTINATION_NAME,
  s3FooterText,
  shownColumns,
  visibleText,
};
