import { Body, Controller, HttpCode, NotFoundException, Param, Patch, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SandboxControlsController } from '../sandbox-controls.controller';
import { NewSellerDto, SellerSettingsDto, TestButtonDto } from './avasam-sandbox.dto';
import { AvasamSandboxState, SandboxSeller, sellerView } from './avasam-sandbox.state';
import { AvasamTestButton } from './avasam-test-button';

/**
 * Controls of the Avasam sandbox: a seller's account (keys, verification token, webhook URLs),
 * the "test" button, expiring tokens on demand, faults and the recorded state.
 */
@ApiExcludeController()
@Controller('sandbox/avasam')
export class AvasamSandboxController extends SandboxControlsController {
  /** Fault actions: request-token, acknowledge-stock, acknowledge-price. */
  constructor(
    protected readonly state: AvasamSandboxState,
    private readonly testButton: AvasamTestButton,
  ) {
    super();
  }

  /** Generates the key pair unless given; the secret key is shown in this answer only. */
  @Post('sellers')
  @HttpCode(201)
  addSeller(@Body() dto: NewSellerDto) {
    const seller = this.state.addSeller(dto);
    return { ...sellerView(seller), secretKey: seller.secretKey };
  }

  /** Avasam's webhook section: verification token and the two endpoint locations. */
  @Patch('sellers/:consumerKey')
  updateSeller(@Param('consumerKey') consumerKey: string, @Body() dto: SellerSettingsDto) {
    const seller = this.seller(consumerKey);
    Object.assign(seller, definedOnly(dto));
    return sellerView(seller);
  }

  @Post('sellers/:consumerKey/test-button')
  @HttpCode(200)
  pressTest(@Param('consumerKey') consumerKey: string, @Body() dto: TestButtonDto) {
    return this.testButton.press(
      this.seller(consumerKey),
      dto.kind ?? 'stock',
      dto.requestId,
      dto.data,
    );
  }

  /** Every token issued to this seller stops working now (as if it expired between calls). */
  @Post('sellers/:consumerKey/expire-tokens')
  @HttpCode(200)
  expireTokens(@Param('consumerKey') consumerKey: string) {
    return { expired: this.state.expireTokens(this.seller(consumerKey).consumerKey) };
  }

  private seller(consumerKey: string): SandboxSeller {
    const seller = this.state.sellers.get(consumerKey);
    if (!seller) throw new NotFoundException(`No sandbox seller with consumer key ${consumerKey}`);
    return seller;
  }
}

function definedOnly<T extends object>(dto: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(dto).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
